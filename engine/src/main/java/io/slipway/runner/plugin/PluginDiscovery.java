package io.slipway.runner.plugin;

import io.slipway.spi.CredentialProbe;
import io.slipway.spi.Spi;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DevelopmentPluginLoader;
import org.pf4j.ExtensionFinder;
import org.pf4j.JarPluginLoader;
import org.pf4j.LegacyExtensionFinder;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.processor.ExtensionStorage;

/**
 * Loads step plugins with PF4J from, in this order: the distribution's {@code plugins/} folder,
 * the user's folders ({@code --plugins-dir}, {@code SLIPWAY_PLUGINS_DIR}), and in a source checkout
 * each {@code plugins/<module>} that has been built ({@code target/classes}). A plugin that cannot
 * be loaded is reported with its reason and the others still load; the first plugin with a given
 * id wins.
 *
 * <p>A <em>library plugin</em> ({@value #LIBRARY} in its {@code plugin.properties}) contributes no
 * step types: it holds libraries that several plugins share (the bundled ones: {@code git-support}
 * with JGit and sshd, {@code python-support} with Jackson). A plugin that names it in
 * {@code plugin.dependencies} finds those classes in the library's class loader after its own
 * {@code lib/} (PF4J's {@link PluginClassLoader}: the plugin's jars, then its dependencies', then
 * {@link PluginIsolation#PARENT}); a plugin that does not name it does not see them.
 */
public final class PluginDiscovery {

    /** The key in {@code plugin.properties} that makes a plugin a library plugin. */
    public static final String LIBRARY = "slipway.library";

    /** Where to look; each may be absent. */
    public record Sources(Optional<Path> distribution, List<Path> user, Optional<Path> sourceTree) {
    }

    private PluginDiscovery() {
    }

    /** The source checkout this runner was started from, if it runs from {@code engine/target/classes} (or its jar there). */
    public static Optional<Path> sourceTreeOfThisRunner() {
        try {
            Path code = Path.of(PluginDiscovery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // <root>/engine/target/classes
            Path root = code.getParent() != null && code.getParent().getParent() != null
                    ? code.getParent().getParent().getParent() : null;
            return root != null && Files.isRegularFile(root.resolve("plugins/pom.xml")) ? Optional.of(root) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Loads the plugins; {@code builtIns} are the runner's own step types, which plugins cannot replace.
     * {@code checked} is a folder that remembers which extensions were found to lack no class
     * ({@link CheckedExtensions}); without one, every load checks them all.
     */
    public static StepCatalog load(Sources sources, List<StepType> builtIns, Optional<Path> checked) {
        CheckedExtensions checks = new CheckedExtensions(checked);
        Manager manager = new Manager();
        List<StepCatalog.Problem> problems = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        sources.distribution().ifPresent(d -> candidates.addAll(pluginsIn(d)));
        sources.user().forEach(d -> {
            if (!Files.isDirectory(d)) {
                problems.add(new StepCatalog.Problem(d.toString(), "the plugins folder does not exist"));
            }
            candidates.addAll(pluginsIn(d));
        });
        sources.sourceTree().ifPresent(root -> candidates.addAll(builtModules(root.resolve("plugins"))));

        // All of them first, then their dependencies: a plugin may come before the library it names.
        for (Path path : candidates) {
            try {
                manager.loadFrom(path);
            } catch (RuntimeException e) {
                problems.add(new StepCatalog.Problem(path.getFileName().toString(), reason(e)));
            }
        }
        problems.addAll(manager.dropUnresolvable());
        try {
            manager.resolve();
        } catch (RuntimeException e) {
            problems.add(new StepCatalog.Problem("plugins", "their dependencies cannot be resolved: " + reason(e)));
        }
        manager.startPlugins();

        List<StepCatalog.Entry> entries = new ArrayList<>();
        builtIns.forEach(b -> entries.add(new StepCatalog.Entry(b, "built-in")));
        List<StepCatalog.PluginInfo> infos = new ArrayList<>();
        List<StepCatalog.Library> libraries = new ArrayList<>();
        Set<String> unusable = new LinkedHashSet<>(); // extension classes reported as problems
        for (PluginWrapper w : manager.getPlugins()) {
            String id = w.getPluginId();
            if (w.getPluginState() != PluginState.STARTED) {
                String why = w.getFailedException() != null ? reason(w.getFailedException())
                        : "it is " + w.getPluginState().toString().toLowerCase()
                          + (manager.getVersionManager().checkVersionConstraint(Spi.VERSION, w.getDescriptor().getRequires())
                             ? "" : "; it requires Slipway SPI " + w.getDescriptor().getRequires() + " and this runner has " + Spi.VERSION);
                problems.add(new StepCatalog.Problem(id, why));
                continue;
            }
            if (isLibrary(w)) {
                // Its classes serve the plugins that name it; it has no step types to look for.
                libraries.add(new StepCatalog.Library(id, w.getDescriptor().getVersion(), w.getPluginPath().toString(),
                        manager.getPlugins().stream().filter(p -> p.getDescriptor().getDependencies().stream()
                                .anyMatch(d -> d.getPluginId().equals(id))).map(PluginWrapper::getPluginId).sorted().toList()));
                continue;
            }
            infos.add(new StepCatalog.PluginInfo(id, w.getDescriptor().getVersion(), w.getPluginPath().toString()));
            if (manager.getExtensionClassNames(id).isEmpty()) {
                problems.add(new StepCatalog.Problem(id, "it contributes no step types: no META-INF/extensions.idx lists any;"
                        + " compile it with org.pf4j.processor.ExtensionAnnotationProcessor and mark step classes @Extension"));
            }
            // PF4J skips an extension class it cannot load with only a log line; say which and why.
            List<URL> classPath = classPath(w, manager, new HashSet<>());
            for (String name : manager.getExtensionClassNames(id)) {
                unloadable(name, w.getPluginClassLoader(), classPath, checks).ifPresent(why -> {
                    unusable.add(name);
                    problems.add(new StepCatalog.Problem(id, why));
                });
            }
            try {
                for (StepType type : manager.getExtensions(StepType.class, id)) {
                    if (unusable.contains(type.getClass().getName())) {
                        continue;
                    }
                    if (!type.id().equals(id) && !type.id().startsWith(id + "/")) {
                        problems.add(new StepCatalog.Problem(id, "its step type \"" + type.id()
                                + "\" must be named \"" + id + "\" or \"" + id + "/<name>\""));
                    } else if (builtIns.stream().anyMatch(b -> b.id().equals(type.id()))) {
                        problems.add(new StepCatalog.Problem(id, "its step type \"" + type.id()
                                + "\" is built into the runner and cannot be replaced; give the plugin another id"));
                    } else {
                        StepContract.problem(type).ifPresentOrElse(why -> problems.add(new StepCatalog.Problem(id, why)),
                                () -> entries.add(new StepCatalog.Entry(type, id)));
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                problems.add(new StepCatalog.Problem(id, "its step types cannot be created: " + reason(e)));
            }
        }
        List<CredentialProbe> probes = new ArrayList<>(manager.getExtensions(CredentialProbe.class).stream()
                .filter(p -> !unusable.contains(p.getClass().getName())).toList());
        return new StepCatalog(entries, infos, libraries, problems, probes);
    }

    /**
     * Why an extension class listed in a plugin's {@code META-INF/extensions.idx} cannot be used, if
     * it cannot: a class it (or a class of its own jar that it uses) needs is not bundled, or it
     * implements a copy of the SPI that the plugin bundled instead of the runner's. The plugin's
     * class loader sees only the SPI, PF4J and slf4j of the runner ({@link PluginIsolation}), so a
     * library the runner has but the plugin does not bundle is missing too.
     */
    private static Optional<String> unloadable(String name, ClassLoader loader, List<URL> classPath, CheckedExtensions checks) {
        Class<?> c;
        try {
            c = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return Optional.of(missing(name, e.getMessage() == null ? name : e.getMessage().replace('/', '.')));
        } catch (LinkageError e) {
            return Optional.of("its extension " + name + " cannot be loaded: " + reason(e));
        }
        if (!StepType.class.isAssignableFrom(c) && !CredentialProbe.class.isAssignableFrom(c)) {
            return Optional.of("its extension " + name + " implements neither this runner's StepType nor CredentialProbe;"
                    + " if the plugin's lib/ has a copy of slipway-spi or pf4j, make those dependencies provided");
        }
        try {
            return checks.missingClass(name, classPath, () -> PluginIsolation.missingClass(name, loader)).map(missing -> missing(name, missing));
        } catch (IOException | RuntimeException e) {
            return Optional.of("its extension " + name + " cannot be read: " + reason(e));
        }
    }

    /** The jars and folders {@code w}'s class loader reads: its own, and those of the plugins it names, theirs in turn. */
    private static List<URL> classPath(PluginWrapper w, PluginManager manager, Set<String> seen) {
        List<URL> out = new ArrayList<>();
        if (seen.add(w.getPluginId())) {
            out.addAll(List.of(((URLClassLoader) w.getPluginClassLoader()).getURLs()));
            for (PluginDependency d : w.getDescriptor().getDependencies()) {
                Optional.ofNullable(manager.getPlugin(d.getPluginId())).ifPresent(p -> out.addAll(classPath(p, manager, seen)));
            }
        }
        return out;
    }

    private static String missing(String extension, String missingClass) {
        return "its extension " + extension + " cannot be loaded because class " + missingClass
                + " is missing; bundle the library that has it in the plugin's lib/";
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return e == t || e.getMessage() == null ? m : e.getMessage() + " (" + m + ")";
    }

    /** Zips, jars and unpacked plugin folders directly inside {@code dir}. */
    private static List<Path> pluginsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    // PF4J unpacks foo.zip next to it as foo/; load the zip, not its copy.
                    return Files.exists(p.resolve("plugin.properties")) && !Files.exists(dir.resolve(n + ".zip"));
                }
                return n.endsWith(".zip") || n.endsWith(".jar");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Plugin modules of a source checkout that have been compiled. */
    private static List<Path> builtModules(Path plugins) {
        try (Stream<Path> s = Files.list(plugins)) {
            return s.filter(p -> Files.exists(p.resolve("plugin.properties")) && Files.isDirectory(p.resolve("target/classes")))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isLibrary(PluginWrapper w) {
        return w.getDescriptor() instanceof Descriptor d && d.library;
    }

    /** PF4J's descriptor, and whether {@code plugin.properties} says {@value #LIBRARY}{@code =true}. */
    private static final class Descriptor extends DefaultPluginDescriptor {
        boolean library;
    }

    /** PF4J's manager, with our SPI version and a loader for each layout we accept. */
    private static final class Manager extends DefaultPluginManager {
        Manager() {
            super(List.of());
            setSystemVersion(Spi.VERSION);
        }

        /** Loads one plugin without resolving dependencies yet (the library it names may come later). */
        void loadFrom(Path path) {
            loadPluginFromPath(path);
        }

        void resolve() {
            resolvePlugins();
        }

        /**
         * Unloads each plugin whose dependency is missing or of a version it does not accept, and
         * says why: one problem per missing plugin, naming every plugin that needs it, instead of
         * PF4J's exception, which would leave every plugin unresolved.
         */
        List<StepCatalog.Problem> dropUnresolvable() {
            List<StepCatalog.Problem> problems = new ArrayList<>();
            Map<String, Set<String>> missing = new TreeMap<>(); // missing plugin -> plugins that need it
            Map<String, Set<Path>> where = new TreeMap<>();
            boolean dropped = true;
            while (dropped) {
                dropped = false;
                for (PluginWrapper w : List.copyOf(getPlugins())) {
                    for (PluginDependency d : w.getDescriptor().getDependencies()) {
                        PluginWrapper dependency = getPlugin(d.getPluginId());
                        String why = null;
                        if (dependency == null && !d.isOptional()) {
                            missing.computeIfAbsent(d.getPluginId(), k -> new TreeSet<>()).add(w.getPluginId());
                            where.computeIfAbsent(d.getPluginId(), k -> new TreeSet<>()).add(w.getPluginPath().toAbsolutePath().getParent());
                        } else if (dependency != null && !"*".equals(d.getPluginVersionSupport())
                                && !getVersionManager().checkVersionConstraint(dependency.getDescriptor().getVersion(), d.getPluginVersionSupport())) {
                            why = "it needs plugin " + d.getPluginId() + " " + d.getPluginVersionSupport() + " and the one installed is "
                                    + dependency.getDescriptor().getVersion() + " (" + dependency.getPluginPath() + ")";
                        } else {
                            continue;
                        }
                        if (why != null) {
                            problems.add(new StepCatalog.Problem(w.getPluginId(), why));
                        }
                        unloadPlugin(w.getPluginId(), false, false);
                        dropped = true;
                        break;
                    }
                }
            }
            missing.forEach((id, dependents) -> problems.add(new StepCatalog.Problem(id, "it is not installed, and "
                    + and(List.copyOf(dependents)) + (dependents.size() == 1 ? " needs it, so its" : " need it, so their")
                    + " step types are not available; reinstall Slipway, or put the plugin " + id + " back into "
                    + String.join(" or ", where.get(id).stream().map(Path::toString).toList()), List.copyOf(dependents))));
            return problems;
        }

        private static String and(List<String> names) {
            return names.size() == 1 ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        }

        @Override
        protected PluginDescriptorFinder createPluginDescriptorFinder() {
            return new CompoundPluginDescriptorFinder()
                    .add(new PropertiesPluginDescriptorFinder() {
                        @Override
                        protected PluginDescriptor createPluginDescriptor(Properties properties) {
                            Descriptor d = (Descriptor) super.createPluginDescriptor(properties);
                            d.library = Boolean.parseBoolean(properties.getProperty(LIBRARY, "false").trim());
                            return d;
                        }

                        @Override
                        protected DefaultPluginDescriptor createPluginDescriptorInstance() {
                            return new Descriptor();
                        }
                    })
                    .add(new ManifestPluginDescriptorFinder());
        }

        @Override
        protected ExtensionFinder createExtensionFinder() {
            AllIndexesExtensionFinder finder = new AllIndexesExtensionFinder(this);
            addPluginStateListener(finder);
            return finder;
        }

        @Override
        protected PluginLoader createPluginLoader() {
            // Each plugin's class loader has PluginIsolation.PARENT as its parent: of the runner's classes
            // it sees only the SPI, PF4J and slf4j.
            return new CompoundPluginLoader()
                    .add(new DevelopmentPluginLoader(this) {
                        @Override
                        public boolean isApplicable(Path path) {
                            return Files.isDirectory(path.resolve("target/classes"));
                        }

                        @Override
                        protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
                            return new PluginClassLoader(pluginManager, descriptor, PluginIsolation.PARENT);
                        }
                    })
                    .add(new JarPluginLoader(this) {
                        @Override
                        public ClassLoader loadPlugin(Path path, PluginDescriptor descriptor) {
                            PluginClassLoader loader = new PluginClassLoader(pluginManager, descriptor, PluginIsolation.PARENT);
                            loader.addFile(path.toFile());
                            return loader;
                        }
                    })
                    .add(new DefaultPluginLoader(this) {
                        @Override
                        protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
                            return new PluginClassLoader(pluginManager, descriptor, PluginIsolation.PARENT);
                        }
                    });
        }
    }

    /**
     * PF4J reads only the first {@code META-INF/extensions.idx} on a plugin's class path, so a bundled
     * library that has one (even an empty one, written when the PF4J annotation processor ran on it)
     * hides the plugin's own, depending on the order of the jars in {@code lib/}. This reads them all.
     */
    private static final class AllIndexesExtensionFinder extends LegacyExtensionFinder {
        AllIndexesExtensionFinder(PluginManager manager) {
            super(manager);
        }

        @Override
        public Map<String, Set<String>> readPluginsStorages() {
            Map<String, Set<String>> result = new LinkedHashMap<>();
            for (PluginWrapper plugin : pluginManager.getPlugins()) {
                Set<String> names = new LinkedHashSet<>();
                try {
                    // findResources: the plugin's own jars and classes only, not the runner's.
                    for (URL url : Collections.list(((URLClassLoader) plugin.getPluginClassLoader()).findResources(EXTENSIONS_RESOURCE))) {
                        try (Reader reader = new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
                            ExtensionStorage.read(reader, names);
                        }
                    }
                } catch (IOException e) {
                    // What was read stays; a plugin left without extensions is reported by load().
                }
                result.put(plugin.getPluginId(), names);
            }
            return result;
        }
    }
}
