package io.slipway.runner.plugin;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plugin sees of the runner. A plugin's class loader has {@link #PARENT} as its parent: the
 * JDK, and from the runner only the SPI, PF4J and slf4j. Every other class a plugin uses must come
 * from its own {@code lib/} or from a library plugin it names in {@code plugin.dependencies} (whose
 * class loader has this same parent); the runner's copies of Jackson, JGit and the rest are invisible
 * to it, so a plugin that forgot to bundle a library fails when it loads instead of running on
 * whatever version the runner happens to carry.
 */
final class PluginIsolation {

    /** The packages a plugin shares with the runner (as class names and as resource paths). */
    static final List<String> SHARED_PACKAGES = List.of("io.slipway.spi.", "org.pf4j.", "org.slf4j.");

    /** The parent of every plugin class loader. */
    static final ClassLoader PARENT = new RunnerApi(PluginIsolation.class.getClassLoader());

    private PluginIsolation() {
    }

    static boolean shared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    /** The JDK (platform class loader) and, from {@code runner}, only the shared packages. */
    private static final class RunnerApi extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final ClassLoader runner;

        RunnerApi(ClassLoader runner) {
            super("slipway-plugin-parent", ClassLoader.getPlatformClassLoader());
            this.runner = runner;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (shared(name)) {
                return runner.loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        protected URL findResource(String name) {
            return sharedResource(name) ? runner.getResource(name) : null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return sharedResource(name) ? runner.getResources(name) : Collections.emptyEnumeration();
        }

        private static boolean sharedResource(String path) {
            return shared(path.replace('/', '.'));
        }
    }

    /**
     * The first class that the extension {@code name}, or a class of its own jar (or classes folder)
     * that it uses, refers to and that {@code loader} cannot load. The JVM loads such a class only
     * when the code that uses it first runs, which for a step would be in the middle of a release;
     * this finds it when the plugin loads. Libraries in the plugin's {@code lib/} and in the library
     * plugins it names are not searched: their optional dependencies are theirs to handle.
     */
    static Optional<String> missingClass(String name, ClassLoader loader) throws IOException {
        Optional<URL> home = codeSource(name, loader);
        if (home.isEmpty()) {
            return Optional.empty();
        }
        Set<String> seen = new HashSet<>(Set.of(name));
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String current = todo.poll();
            for (String ref : referencedClasses(current, loader)) {
                if (ref.startsWith("java.") || !seen.add(ref)) {
                    continue;
                }
                try {
                    Class.forName(ref, false, loader);
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    return Optional.of(ref);
                } catch (LinkageError e) {
                    continue;
                }
                if (!shared(ref) && codeSource(ref, loader).equals(home)) {
                    todo.add(ref);
                }
            }
        }
        return Optional.empty();
    }

    /** The jar or folder {@code name}'s class file is in, as the loader finds it. */
    private static Optional<URL> codeSource(String name, ClassLoader loader) {
        try {
            CodeSource source = Class.forName(name, false, loader).getProtectionDomain().getCodeSource();
            return Optional.ofNullable(source).map(CodeSource::getLocation);
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The classes named in the constant pool of {@code name}'s class file (arrays as their element type). */
    static Set<String> referencedClasses(String name, ClassLoader loader) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (InputStream raw = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (raw == null) {
                return out;
            }
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                return out;
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNames = new int[count];
            int classes = 0;
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNames[classes++] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> {
                        return out; // a class file format this does not know: check nothing rather than guess
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                String internal = utf8[classNames[c]];
                if (internal == null) {
                    continue;
                }
                if (internal.startsWith("[")) {
                    internal = internal.replaceFirst("^\\[+", "");
                    if (!internal.startsWith("L")) {
                        continue; // an array of primitives
                    }
                    internal = internal.substring(1, internal.length() - 1);
                }
                out.add(internal.replace('/', '.'));
            }
        }
        return out;
    }
}
