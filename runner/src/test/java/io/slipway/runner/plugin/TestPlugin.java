package io.slipway.runner.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A real plugin built in a temp dir, the way PF4J's own tests build theirs: Java sources compiled
 * against the SPI on this test's classpath with PF4J's annotation processor (which writes
 * {@code META-INF/extensions.idx}), then laid out as a zip, an unpacked folder, or a source-tree
 * module. Each plugin's classes go into {@code lib/<id>.jar}, next to the library jars it bundles.
 */
public final class TestPlugin {

    private final String id;
    private String requires = ">=0.1.0";
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> bundled = new ArrayList<>();
    private final List<Path> compileOnly = new ArrayList<>();
    private boolean annotationProcessor = true;
    private final List<String> dependencies = new ArrayList<>();
    private boolean library;

    private TestPlugin(String id) {
        this.id = id;
    }

    public static TestPlugin of(String id) {
        return new TestPlugin(id);
    }

    /**
     * A plugin with one step type {@code stepId} in class {@code test.<Name>.Step}; its run sets the
     * output {@code said} to {@code expression} (Java code, e.g. {@code "\"hi\""}).
     */
    static TestPlugin withStep(String id, String stepId, String expression) {
        String pkg = "test." + id.replaceAll("[^A-Za-z0-9]", "");
        return of(id).source(pkg + ".Step", """
                package %s;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Step implements StepType {
                    public String id() { return "%s"; }
                    public String description() { return "Says something."; }
                    public List<InputSpec> inputs() { return List.of(); }
                    public List<OutputSpec> outputs() { return List.of(new OutputSpec("said", InputType.STRING, "what it said")); }
                    public StepResult run(StepContext ctx) { ctx.output("said", %s); return StepResult.success(); }
                }
                """.formatted(pkg, stepId, expression));
    }

    /** Adds a class; {@code fqcn} is its fully qualified name. */
    public TestPlugin source(String fqcn, String code) {
        sources.put(fqcn, code);
        return this;
    }

    TestPlugin requires(String constraint) {
        this.requires = constraint;
        return this;
    }

    /** A library jar the plugin bundles in {@code lib/}. */
    TestPlugin bundle(Path jar) {
        bundled.add(jar);
        compileOnly.add(jar);
        return this;
    }

    /** Bundles each of the jars. */
    TestPlugin bundle(List<Path> jars) {
        jars.forEach(this::bundle);
        return this;
    }

    /** A library jar the plugin compiles against but forgets to bundle. */
    TestPlugin compileAgainst(Path jar) {
        compileOnly.add(jar);
        return this;
    }

    /** Compiles against each of the jars, bundling none. */
    TestPlugin compileAgainst(List<Path> jars) {
        jars.forEach(this::compileAgainst);
        return this;
    }

    /** Names a plugin in {@code plugin.dependencies}: its class loader looks there after its own lib/. */
    TestPlugin dependsOn(String pluginId) {
        dependencies.add(pluginId);
        return this;
    }

    /** Marks it a library plugin ({@code slipway.library=true}): no step types, jars for the plugins that name it. */
    TestPlugin library() {
        library = true;
        return this;
    }

    /** Compiles without PF4J's annotation processor, as a build that forgot to configure it would. */
    TestPlugin withoutAnnotationProcessor() {
        annotationProcessor = false;
        return this;
    }

    /** {@code dir/<id>.zip}: plugin.properties and lib/, the format {@code mvn package} produces. */
    public Path writeZip(Path dir) throws IOException {
        Path layout = writeDir(Files.createTempDirectory(dir.getParent(), id));
        Path zip = dir.resolve(id + ".zip");
        Files.createDirectories(dir);
        zip(layout, zip);
        return zip;
    }

    /** {@code dir/<id>/}: the unpacked zip, as the distribution's plugins/ holds it. */
    Path writeDir(Path dir) throws IOException {
        Path home = dir.resolve(id);
        Files.createDirectories(home.resolve("lib"));
        writeProperties(home);
        if (!sources.isEmpty()) { // a library plugin may have no classes of its own
            Path classes = compile(Files.createTempDirectory(dir.getParent(), id + "-classes"));
            zip(classes, home.resolve("lib").resolve(id + ".jar"));
        }
        for (Path jar : bundled) {
            Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));
        }
        return home;
    }

    /** {@code root/plugins/<id>/}: a built module of a source checkout (plugin.properties, target/classes, target/lib). */
    Path writeSourceModule(Path root) throws IOException {
        Path module = root.resolve("plugins").resolve(id);
        Files.createDirectories(module.resolve("target/lib"));
        writeProperties(module);
        compile(module.resolve("target/classes"));
        for (Path jar : bundled) {
            Files.copy(jar, module.resolve("target/lib").resolve(jar.getFileName()));
        }
        return module;
    }

    private void writeProperties(Path dir) throws IOException {
        Files.writeString(dir.resolve("plugin.properties"), """
                plugin.id=%s
                plugin.version=1.2.3
                plugin.requires=%s
                plugin.provider=Slipway tests
                """.formatted(id, requires)
                + (dependencies.isEmpty() ? "" : "plugin.dependencies=" + String.join(", ", dependencies) + "\n")
                + (library ? PluginDiscovery.LIBRARY + "=true\n" : ""));
    }

    private Path compile(Path classes) throws IOException {
        return compile(sources, classes, compileOnly, annotationProcessor);
    }

    /** A library jar with one class, {@code org.example.greeting.Greeting.text()} returning "greeting 1.0". */
    /** A plugin whose step {@code id} says what the greeting library's class returns: it needs a {@link #greetingJar}. */
    static TestPlugin greeter(String id) {
        return withStep(id, id, "org.example.greeting.Greeting.text()");
    }

    static Path greetingJar(Path jar) throws IOException {
        return libraryJar(jar, Map.of("org.example.greeting.Greeting", """
                package org.example.greeting;
                public class Greeting { public static String text() { return "greeting 1.0"; } }
                """));
    }

    /**
     * A plain library jar of {@code sources}, e.g. two versions of one class for isolation tests. Like
     * any jar compiled with pf4j on the class path, it carries an empty {@code META-INF/extensions.idx}.
     */
    static Path libraryJar(Path jar, Map<String, String> sources) throws IOException {
        Files.createDirectories(jar.getParent());
        zip(compile(sources, Files.createTempDirectory(jar.getParent(), "lib-classes"), List.of(), true), jar);
        return jar;
    }

    /** A jar of a classes folder. */
    static Path jarOf(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        zip(classes, jar);
        return jar;
    }

    private static Path compile(Map<String, String> sources, Path classes, List<Path> extraClasspath,
                                boolean annotationProcessor) throws IOException {
        Path src = Files.createTempDirectory(classes.getParent(), "src");
        List<String> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            files.add(file.toString());
        }
        Files.createDirectories(classes);
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        extraClasspath.forEach(p -> cp.append(java.io.File.pathSeparator).append(p));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", cp.toString(), "--release", "17", "-nowarn"));
        args.addAll(annotationProcessor ? List.of("-processor", "org.pf4j.processor.ExtensionAnnotationProcessor") : List.of("-proc:none"));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin sources do not compile:\n" + errors);
        }
        return classes;
    }

    private static void zip(Path from, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(from)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(from.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, z);
                z.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
