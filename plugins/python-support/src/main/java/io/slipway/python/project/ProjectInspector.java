package io.slipway.python.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.slipway.python.IniFile;
import io.slipway.python.ProjectName;
import io.slipway.python.Toml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Answers what a repository holds, for each package: folder, name, import names, console scripts,
 * where the version lives, tests and changelog. Static files are read with real parsers (TOML,
 * setup.cfg as INI, setup.py's literal keyword arguments through Python's own {@code ast}); what they
 * cannot answer (a {@code setup.py} that computes its name or version) is asked of the build
 * backend ({@link PythonMetadata}). Nothing here changes a file.
 *
 * <p>Packages: the repository's top when it holds one, plus {@code packages/*} and {@code libs/*};
 * when neither holds any, the sub-folders one level down that do.
 */
public final class ProjectInspector {

    /** Folders that hold packages of a monorepo. */
    private static final List<String> CONTAINERS = List.of("packages", "libs");
    /** Folders one level down that are never the released package. */
    private static final Set<String> NOT_PACKAGES = Set.of("tests", "test", "testing", "docs", "doc", "examples", "example",
            "benchmarks", "bench", "scripts", "tools", "ci", "build", "dist", "node_modules", "venv", "env", "site-packages");
    private static final Pattern SCM_REQUIREMENT = Pattern.compile("(?i)^\\s*(setuptools[-_]scm|hatch[-_]vcs)\\b");
    private static final Pattern DUNDER_VERSION = Pattern.compile("(?m)^__version__\\s*(?::[^=\\n]*)?=");
    private static final List<String> VERSION_MODULE_FILES = List.of("__init__.py", "_version.py", "__about__.py",
            "version.py", "__version__.py", "_about.py");

    private final Path root;
    private final PythonMetadata python;

    /**
     * @param root   the repository's top (the script's folder)
     * @param python asks the interpreter the release uses, for what static files cannot answer
     */
    public ProjectInspector(Path root, PythonMetadata python) {
        this.root = root.toAbsolutePath().normalize();
        this.python = python;
    }

    /** Every package found (see the class comment). */
    public Inspection inspect() {
        return inspect(List.of());
    }

    /** The given package folders (workspace-relative), or every package found when the list is empty. */
    public Inspection inspect(List<String> given) {
        List<String> dirs = given.isEmpty() ? discover() : given;
        List<PythonPackage> packages = new ArrayList<>();
        Map<String, String> byName = new LinkedHashMap<>();
        for (String dir : dirs) {
            Path folder = root.resolve(dir).normalize();
            if (!given.isEmpty() && (!Files.isDirectory(folder) || !isPackage(folder))) { // discover() checked its own
                throw new InspectionException("\"" + dir + "\" is not a Python package folder in " + root
                        + " (no pyproject.toml, setup.cfg or setup.py)", "name folders that hold one");
            }
            PythonPackage p = inspectPackage(dir);
            String previous = byName.put(ProjectName.normalize(p.name()), dir);
            if (previous != null) {
                throw new InspectionException("two packages are named " + p.name() + ": " + previous + " and " + dir,
                        "rename one, or release one of them with --set packages=<folder>");
            }
            packages.add(p);
        }
        boolean monorepo = packages.size() > 1 || packages.stream().anyMatch(p -> !p.dir().equals("."));
        return new Inspection(root, packages, monorepo);
    }

    private List<String> discover() {
        List<String> found = new ArrayList<>();
        if (isPackage(root)) {
            found.add(".");
        }
        for (String container : CONTAINERS) {
            subfolders(root.resolve(container)).filter(ProjectInspector::isPackage)
                    .forEach(d -> found.add(container + "/" + d.getFileName()));
        }
        if (found.isEmpty()) {
            subfolders(root).filter(d -> !NOT_PACKAGES.contains(d.getFileName().toString().toLowerCase(Locale.ROOT)))
                    .filter(ProjectInspector::isPackage).forEach(d -> found.add(d.getFileName().toString()));
        }
        if (found.isEmpty()) {
            throw new InspectionException("no Python package found in " + root + ": no pyproject.toml, setup.cfg or setup.py"
                    + " at the top, in packages/*/, libs/*/ or a folder one level down",
                    "run the release from the repository's top, or name the package folders with --set packages=<dir>,<dir>");
        }
        return found;
    }

    private static Stream<Path> subfolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder with a project file that names (or builds) a distribution. */
    private static boolean isPackage(Path dir) {
        if (Files.isRegularFile(dir.resolve("setup.py"))) {
            return true;
        }
        Path cfg = dir.resolve("setup.cfg");
        if (Files.isRegularFile(cfg) && setupCfg(cfg).getOrDefault("metadata", Map.of()).containsKey("name")) {
            return true;
        }
        Path pyproject = dir.resolve("pyproject.toml");
        if (!Files.isRegularFile(pyproject)) {
            return false;
        }
        JsonNode t = Toml.read(pyproject);
        return t.has("project") || Toml.at(t, "tool", "poetry", "name").isTextual() || t.has("build-system");
    }

    /** One package folder, workspace-relative. */
    public PythonPackage inspectPackage(String dir) {
        Path folder = root.resolve(dir).normalize();
        Folder files = new Folder(folder, python);
        Answer<String> name = name(files);
        VersionSource version = versionSource(folder, files, name);
        List<String> imports = imports(files, name.value);
        List<String> versionModules = imports.stream().filter(m -> definesVersion(folder, files, m)).toList();
        String current = version.fromTag() ? null : version.read(Folder.read(version.file())).orElseThrow(() -> new InspectionException(
                "no version found in " + version.describe(root) + " (" + version.reason() + ")",
                "write the current version there, e.g. " + (version.name() == null ? "0.1.0" : version.name() + " = \"0.1.0\"")));
        return new PythonPackage(dir, name.value, name.source, imports, versionModules, scripts(files), version, current,
                tests(dir), changelog(dir));
    }

    /** The distribution name of the package in {@code dir} (workspace-relative) and where it was read. */
    public String name(String dir) {
        return name(new Folder(root.resolve(dir).normalize(), python)).value;
    }

    /**
     * Where the version of the package in {@code dir} is written, for the step that edits it; a
     * {@code setup.py} that computes its version is asked of the build backend through {@code python}.
     */
    public static VersionSource versionSource(Path dir, PythonMetadata python) {
        Folder folder = new Folder(dir.toAbsolutePath().normalize(), python);
        ProjectInspector inspector = new ProjectInspector(dir, python);
        return inspector.versionSource(folder.dir, folder, folder.hasSetupPy() ? inspector.name(folder) : null);
    }

    // ---- name --------------------------------------------------------------------------------

    private record Answer<T>(T value, String source) {
    }

    private Answer<String> name(Folder f) {
        Optional<Answer<String>> found = Toml.text(f.pyproject(), "project", "name").map(n -> new Answer<>(n, "pyproject.toml [project] name"))
                .or(() -> Toml.text(f.pyproject(), "tool", "poetry", "name").map(n -> new Answer<>(n, "pyproject.toml [tool.poetry] name")))
                .or(() -> Optional.ofNullable(f.metadata().get("name")).filter(n -> !n.isBlank())
                        .map(n -> new Answer<>(n, "setup.cfg [metadata] name")))
                .or(() -> Toml.text(f.pyproject(), "tool", "flit", "metadata", "dist-name")
                        .or(() -> Toml.text(f.pyproject(), "tool", "flit", "metadata", "module"))
                        .map(n -> new Answer<>(n, "pyproject.toml [tool.flit.metadata]")))
                .or(() -> f.setupPyLiteral("name").map(n -> new Answer<>(n, "setup.py name")));
        Answer<String> answer = found.orElseGet(() -> {
            Map<String, Object> meta = f.backend();
            Object n = meta.get("name");
            if (!(n instanceof String s) || s.isBlank()) {
                throw new InspectionException(rel(f.dir) + " declares no project name that Slipway can read, and the build backend"
                        + " did not give one" + backendError(meta),
                        "add name to [project] in pyproject.toml (or [metadata] in setup.cfg)");
            }
            return new Answer<>(s, "the build backend (" + meta.get("backend") + ")");
        });
        if (!ProjectName.isValid(answer.value)) {
            throw new InspectionException(answer.source + " in " + rel(f.dir) + " is \"" + answer.value
                    + "\", not a valid Python project name", "write a name of letters, digits and . _ - only");
        }
        return answer;
    }

    // ---- version -----------------------------------------------------------------------------

    /** In the order the build backends themselves look. */
    private VersionSource versionSource(Path dir, Folder f, Answer<String> name) {
        Optional<VersionSource> found = fromPyproject(dir, f)
                .or(() -> fromSetupCfg(dir, f))
                .or(() -> fromSetupPy(dir, f));
        if (found.isPresent()) {
            return found.get();
        }
        Path versionFile = dir.resolve("VERSION");
        if (Files.isRegularFile(versionFile)) {
            return new VersionSource(VersionSource.Style.PLAIN, versionFile, null, "VERSION file");
        }
        if (name != null && f.hasSetupPy()) {
            return fromBackend(dir, f, name.value);
        }
        throw new InspectionException("cannot find where the version of " + rel(dir) + " is written",
                "give it a [project] version in pyproject.toml, a VERSION file, or name the file with the version-files input");
    }

    private Optional<VersionSource> fromPyproject(Path dir, Folder f) {
        JsonNode t = f.pyproject();
        Path file = dir.resolve("pyproject.toml");
        if (Toml.text(t, "project", "version").isPresent()) {
            return Optional.of(new VersionSource(VersionSource.Style.TOML, file, "project.version", "[project] version"));
        }
        boolean dynamic = Toml.strings(t, "project", "dynamic").contains("version");
        if (!dynamic && Toml.text(t, "tool", "poetry", "version").isPresent()) {
            return Optional.of(new VersionSource(VersionSource.Style.TOML, file, "tool.poetry.version", "[tool.poetry] version"));
        }
        if (t.has("project") && !dynamic) {
            return Optional.empty();
        }
        List<String> versionFiles = Toml.strings(t, "tool", "setuptools", "dynamic", "version", "file");
        if (!versionFiles.isEmpty()) {
            return Optional.of(new VersionSource(VersionSource.Style.PLAIN, dir.resolve(versionFiles.get(0)), null,
                    "[tool.setuptools.dynamic] version file"));
        }
        boolean scm = t.path("tool").has("setuptools_scm") || t.path("tool").has("setuptools-scm")
                || Toml.strings(t, "build-system", "requires").stream().anyMatch(r -> SCM_REQUIREMENT.matcher(r).find());
        Optional<String> attr = Toml.text(t, "tool", "setuptools", "dynamic", "version", "attr");
        if (attr.isPresent()) {
            List<Path> roots = new ArrayList<>();
            Toml.text(t, "tool", "setuptools", "package-dir", "").ifPresent(r -> roots.add(dir.resolve(r)));
            VersionSource source = attribute(dir, roots, attr.get(), "[tool.setuptools.dynamic] version attr");
            // an attribute computed from the tag (setuptools-scm's own get_version()) holds no literal to edit
            if (scm && source.read(Folder.read(source.file())).isEmpty()) {
                return Optional.of(VersionSource.gitTag("setuptools-scm, through " + attr.get()));
            }
            return Optional.of(source);
        }
        if (Toml.text(t, "tool", "hatch", "version", "source").filter("vcs"::equals).isPresent()) {
            return Optional.of(VersionSource.gitTag("[tool.hatch.version] source = \"vcs\""));
        }
        Optional<String> hatchPath = Toml.text(t, "tool", "hatch", "version", "path");
        Optional<String> hatchPattern = Toml.text(t, "tool", "hatch", "version", "pattern");
        if (hatchPath.isPresent() && hatchPattern.isPresent()) {
            return Optional.of(new VersionSource(VersionSource.Style.PATTERN, dir.resolve(hatchPath.get()),
                    javaRegex(hatchPattern.get()), "[tool.hatch.version] pattern"));
        }
        if (hatchPath.isPresent()) {
            Path module = dir.resolve(hatchPath.get());
            return Optional.of(new VersionSource(VersionSource.Style.ASSIGNMENT, module, versionVariable(module),
                    "[tool.hatch.version] path"));
        }
        JsonNode pdm = Toml.at(t, "tool", "pdm", "version");
        if (Toml.text(pdm, "source").filter("scm"::equals).isPresent() || pdm.path("use_scm").asBoolean(false)) {
            return Optional.of(VersionSource.gitTag("[tool.pdm.version] source = \"scm\""));
        }
        Optional<String> pdmPath = Toml.text(pdm, "path").or(() -> Toml.text(pdm, "from"));
        if (pdmPath.isPresent()) {
            return Optional.of(new VersionSource(VersionSource.Style.ASSIGNMENT, dir.resolve(pdmPath.get()),
                    "__version__", "[tool.pdm.version] path"));
        }
        if (scm) {
            return Optional.of(VersionSource.gitTag("setuptools-scm / hatch-vcs in the build requirements"));
        }
        boolean flit = Toml.text(t, "build-system", "build-backend").filter(b -> b.startsWith("flit")).isPresent()
                || t.path("tool").path("flit").has("metadata");
        if (flit) {
            String module = flitModule(t).orElseThrow(() -> new InspectionException(
                    "pyproject.toml in " + rel(dir) + " names no module for flit", "add the project's name to [project]"));
            return Optional.of(attribute(dir, List.of(), module + ".__version__", "flit dynamic version"));
        }
        // setuptools without [tool.setuptools.dynamic]: setup.cfg or setup.py supplies the version
        return Optional.empty();
    }

    private static Optional<String> flitModule(JsonNode t) {
        return Toml.text(t, "tool", "flit", "module", "name")
                .or(() -> Toml.text(t, "tool", "flit", "metadata", "module"))
                .or(() -> Toml.text(t, "project", "name").map(n -> n.replace('-', '_').replace('.', '_').toLowerCase(Locale.ROOT)));
    }

    private Optional<VersionSource> fromSetupCfg(Path dir, Folder f) {
        String value = f.metadata().get("version");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.startsWith("attr:")) {
            List<Path> roots = new ArrayList<>();
            packageDirRoot(f.options().get("package_dir")).ifPresent(r -> roots.add(dir.resolve(r)));
            return Optional.of(attribute(dir, roots, value.substring(5).strip(), "setup.cfg version = attr:"));
        }
        if (value.startsWith("file:")) {
            String first = value.substring(5).split(",")[0].strip();
            return Optional.of(new VersionSource(VersionSource.Style.PLAIN, dir.resolve(first), null, "setup.cfg version = file:"));
        }
        return Optional.of(new VersionSource(VersionSource.Style.ASSIGNMENT, dir.resolve("setup.cfg"), "version",
                "setup.cfg [metadata] version"));
    }

    /** setuptools' {@code package_dir = =src} (setup.cfg) names the root of the packages. */
    private static Optional<String> packageDirRoot(String packageDir) {
        for (String line : IniFile.list(packageDir)) {
            String[] kv = line.split("=", -1);
            if (kv.length == 2 && kv[0].isBlank()) {
                return Optional.of(kv[1].strip());
            }
        }
        return Optional.empty();
    }

    private Optional<VersionSource> fromSetupPy(Path dir, Folder f) {
        if (!f.hasSetupPy()) {
            return Optional.empty();
        }
        Map<String, Object> literals = f.literals();
        if (literals.containsKey("use_scm_version")) {
            return Optional.of(VersionSource.gitTag("setup.py use_scm_version (setuptools-scm)"));
        }
        if (literals.get("setup_requires") instanceof List<?> requires
                && requires.stream().anyMatch(r -> SCM_REQUIREMENT.matcher(String.valueOf(r)).find())) {
            return Optional.of(VersionSource.gitTag("setup.py setup_requires setuptools-scm"));
        }
        if (literals.get("imports") instanceof List<?> imported && imported.contains("setuptools_scm")
                && !(literals.get("version") instanceof String)) {
            return Optional.of(VersionSource.gitTag("setup.py computes it with setuptools_scm"));
        }
        if (literals.get("version") instanceof String v) {
            VersionSource source = new VersionSource(VersionSource.Style.ASSIGNMENT, dir.resolve("setup.py"), "version", "setup.py version");
            if (source.read(f.text("setup.py")).filter(v::equals).isPresent()) {
                return Optional.of(source);
            }
            throw new InspectionException("setup.py in " + rel(dir) + " sets version=\"" + v + "\" in a form Slipway cannot edit",
                    "write it as version=\"" + v + "\" in the setup(...) call");
        }
        return Optional.empty();
    }

    /**
     * A setup.py that computes its version: ask the backend for it, then find the file that holds
     * it as {@code __version__ = "X"} (or {@code VERSION}, {@code version}) in the package's modules.
     */
    private VersionSource fromBackend(Path dir, Folder f, String name) {
        Map<String, Object> meta = f.backend();
        if (!(meta.get("version") instanceof String version)) {
            throw new InspectionException("setup.py in " + rel(dir) + " computes its version and the build backend did not"
                    + " report it" + backendError(meta), "write version=\"X.Y.Z\" in setup.py, or use a VERSION file");
        }
        List<Path> candidates = new ArrayList<>();
        Set<String> modules = new LinkedHashSet<>(imports(f, name));
        // every top-level package: a project may ship several (attrs: attr and attrs), the version in either
        for (Path base : List.of(dir.resolve("src"), dir)) {
            subfolders(base).filter(d -> Files.isRegularFile(d.resolve("__init__.py")))
                    .forEach(d -> modules.add(d.getFileName().toString()));
        }
        for (String module : modules) {
            for (Path base : List.of(dir.resolve("src").resolve(module), dir.resolve(module))) {
                VERSION_MODULE_FILES.forEach(file -> candidates.add(base.resolve(file)));
            }
            candidates.add(dir.resolve("src").resolve(module + ".py"));
            candidates.add(dir.resolve(module + ".py"));
        }
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String text = Folder.read(file);
            for (String variable : List.of("__version__", "VERSION", "version")) {
                VersionSource source = new VersionSource(VersionSource.Style.ASSIGNMENT, file, variable,
                        "setup.py computes it; the build backend reports " + version);
                if (source.read(text).filter(version::equals).isPresent()) {
                    return source;
                }
            }
        }
        throw new InspectionException("setup.py in " + rel(dir) + " computes its version (" + version
                + " says the build backend) and no module of the package holds it as __version__ = \"" + version + "\"",
                "write the version in one place Slipway can edit: version=\"" + version + "\" in setup.py, a VERSION file,"
                        + " or __version__ in the package's __init__.py");
    }

    /** {@code pkg.sub.__version__}: the module file of {@code pkg.sub}, in {@code roots}, then {@code src/}, then the folder. */
    private VersionSource attribute(Path dir, List<Path> roots, String dotted, String reason) {
        int dot = dotted.lastIndexOf('.');
        if (dot < 0) {
            throw new InspectionException("the version attribute \"" + dotted + "\" in " + rel(dir) + " names no module",
                    "write it as module.__version__");
        }
        String modulePath = dotted.substring(0, dot).replace('.', '/');
        List<Path> search = new ArrayList<>(roots);
        search.add(dir.resolve("src"));
        search.add(dir);
        for (Path base : search) {
            for (Path candidate : List.of(base.resolve(modulePath + "/__init__.py"), base.resolve(modulePath + ".py"))) {
                if (Files.isRegularFile(candidate)) {
                    return new VersionSource(VersionSource.Style.ASSIGNMENT, candidate, dotted.substring(dot + 1), reason);
                }
            }
        }
        throw new InspectionException("cannot find the module " + dotted.substring(0, dot) + " (" + reason + ") under " + rel(dir),
                "check the module name; Slipway looks in src/ and the package folder");
    }

    /**
     * Hatch's pattern, a Python regular expression searched line by line with a group named
     * {@code version}, in Java's syntax ({@code (?P<version>...)} becomes {@code (?<version>...)}).
     */
    static String javaRegex(String python) {
        String java = python.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        try {
            if (!Pattern.compile(java).pattern().contains("(?<version>")) {
                throw new InspectionException("the [tool.hatch.version] pattern has no group named version: " + python,
                        "write it as hatch wants it, e.g. ^VERSION = \"(?P<version>[^\"]+)\"");
            }
        } catch (PatternSyntaxException e) {
            throw new InspectionException("the [tool.hatch.version] pattern cannot be used here: " + e.getDescription() + " in " + python,
                    "simplify the pattern, or name the version file and keep hatch's default pattern");
        }
        return java;
    }

    /** Hatch's default pattern accepts {@code __version__} or {@code VERSION}; use whichever the file has. */
    private static String versionVariable(Path module) {
        if (Files.isRegularFile(module)) {
            String text = Folder.read(module);
            if (VersionSource.assignment("VERSION", module).matcher(text).find()
                    && !VersionSource.assignment("__version__", module).matcher(text).find()) {
                return "VERSION";
            }
        }
        return "__version__";
    }

    // ---- what it installs ------------------------------------------------------------------

    /** Top-level import names: from the backend's configuration where it names them, else the folder that matches the name. */
    private List<String> imports(Folder f, String name) {
        JsonNode t = f.pyproject();
        Set<String> out = new LinkedHashSet<>();
        Toml.strings(t, "tool", "hatch", "build", "targets", "wheel", "packages").forEach(p -> out.add(lastSegment(p)));
        Toml.at(t, "tool", "poetry", "packages").forEach(p -> Toml.text(p, "include").ifPresent(i -> out.add(topLevel(i.replace('/', '.')))));
        Toml.strings(t, "tool", "setuptools", "packages").forEach(p -> out.add(topLevel(p)));
        Toml.strings(t, "tool", "setuptools", "py-modules").forEach(p -> out.add(topLevel(p)));
        IniFile.list(f.options().get("packages")).stream().filter(p -> !p.startsWith("find")).forEach(p -> out.add(topLevel(p)));
        IniFile.list(f.options().get("py_modules")).forEach(p -> out.add(topLevel(p)));
        if (f.hasSetupPy()) {
            Map<String, Object> literals = f.literals();
            for (String key : List.of("packages", "py_modules")) {
                if (literals.get(key) instanceof List<?> list) {
                    list.forEach(p -> out.add(topLevel(String.valueOf(p))));
                }
            }
        }
        if (t.path("tool").path("flit").has("module") || t.path("tool").path("flit").has("metadata")) {
            flitModule(t).ifPresent(out::add);
        }
        out.removeIf(m -> m.isBlank() || m.contains("*"));
        if (out.isEmpty() && name != null) {
            String guess = name.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            for (String candidate : List.of("src/" + guess, guess, "src/" + guess + ".py", guess + ".py")) {
                if (Files.exists(f.dir.resolve(candidate))) {
                    out.add(guess);
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            subfolders(f.dir.resolve("src")).filter(d -> Files.isRegularFile(d.resolve("__init__.py")))
                    .forEach(d -> out.add(d.getFileName().toString()));
        }
        return List.copyOf(out);
    }

    private static String lastSegment(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String topLevel(String dotted) {
        int dot = dotted.indexOf('.');
        return dot < 0 ? dotted.strip() : dotted.substring(0, dot).strip();
    }

    private static boolean definesVersion(Path dir, Folder f, String module) {
        for (Path file : List.of(dir.resolve("src/" + module + "/__init__.py"), dir.resolve(module + "/__init__.py"),
                dir.resolve("src/" + module + ".py"), dir.resolve(module + ".py"))) {
            if (Files.isRegularFile(file)) {
                return assignsAtTopLevel(Folder.read(file), DUNDER_VERSION);
            }
        }
        return false;
    }

    /**
     * Whether a line of Python code (not of a triple-quoted string, such as a template for a version
     * file) matches: triple quotes before the match are counted.
     */
    static boolean assignsAtTopLevel(String python, Pattern assignment) {
        java.util.regex.Matcher m = assignment.matcher(python);
        while (m.find()) {
            String before = python.substring(0, m.start());
            int quotes = count(before, "\"\"\"") + count(before, "'''");
            if (quotes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    private static int count(String text, String token) {
        int n = 0;
        for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length())) {
            n++;
        }
        return n;
    }

    private List<String> scripts(Folder f) {
        JsonNode t = f.pyproject();
        Set<String> out = new LinkedHashSet<>();
        Toml.at(t, "project", "scripts").fieldNames().forEachRemaining(out::add);
        Toml.at(t, "tool", "poetry", "scripts").fieldNames().forEachRemaining(out::add);
        Toml.at(t, "tool", "flit", "scripts").fieldNames().forEachRemaining(out::add);
        IniFile.list(f.setupCfg().getOrDefault("options.entry_points", Map.of()).get("console_scripts"))
                .forEach(line -> out.add(line.split("=")[0].strip()));
        if (f.hasSetupPy() && f.literals().get("entry_points") instanceof Map<?, ?> entryPoints) {
            Object console = entryPoints.get("console_scripts");
            List<?> lines = console instanceof List<?> l ? l : console instanceof String s ? IniFile.list(s) : List.of();
            lines.forEach(line -> out.add(String.valueOf(line).split("=")[0].strip()));
        }
        if (out.isEmpty() && f.backendAsked()) {
            if (f.backend().get("console_scripts") instanceof List<?> list) {
                list.forEach(s -> out.add(String.valueOf(s)));
            }
        }
        return List.copyOf(out);
    }

    // ---- tests and changelog ---------------------------------------------------------------

    private String tests(String dir) {
        for (String name : List.of("tests", "test")) {
            String candidate = dir.equals(".") ? name : dir + "/" + name;
            if (Files.isDirectory(root.resolve(candidate))) {
                return candidate;
            }
        }
        return dir.equals(".") ? null : tests(".");
    }

    /** The towncrier output or the first changelog file, in the package's folder, else at the top. */
    private Changelog changelog(String dir) {
        for (String base : dir.equals(".") ? List.of(".") : List.of(dir, ".")) {
            Path folder = root.resolve(base);
            Optional<String> towncrier = towncrierFile(folder);
            if (towncrier.isPresent()) {
                return new Changelog(path(base, towncrier.get()), "towncrier");
            }
            for (String candidate : Changelog.CANDIDATES) {
                if (Files.isRegularFile(folder.resolve(candidate))) {
                    String lower = candidate.toLowerCase(Locale.ROOT);
                    String style = lower.endsWith(".md") ? "markdown" : lower.endsWith(".rst") ? "reStructuredText" : "text";
                    return new Changelog(path(base, candidate), style);
                }
            }
        }
        return null;
    }

    /** The file towncrier writes, when the folder configures towncrier. */
    private static Optional<String> towncrierFile(Path folder) {
        return towncrierConfig(folder).map(t -> Toml.text(t, "tool", "towncrier", "filename").orElse("NEWS.rst"));
    }

    /** The towncrier configuration of a folder ({@code towncrier.toml}, else {@code [tool.towncrier]} in pyproject.toml). */
    public static Optional<JsonNode> towncrierConfig(Path folder) {
        for (String file : List.of("towncrier.toml", "pyproject.toml")) {
            Path config = folder.resolve(file);
            if (Files.isRegularFile(config)) {
                JsonNode t = Toml.read(config);
                if (t.path("tool").has("towncrier")) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static String path(String base, String file) {
        return base.equals(".") ? file : base + "/" + file;
    }

    private String rel(Path dir) {
        String r = root.relativize(dir.toAbsolutePath().normalize()).toString();
        return r.isEmpty() ? "the repository's top" : r;
    }

    private static String backendError(Map<String, Object> meta) {
        Object error = meta.get("error");
        return error == null ? "" : " (" + error + ")";
    }

    private static Map<String, Map<String, String>> setupCfg(Path file) {
        try {
            return IniFile.read(file);
        } catch (IOException e) {
            throw InspectionException.unreadable(file, e);
        }
    }

    /** A package folder's project files, each read once, and the interpreter's answers, each asked once. */
    private static final class Folder {
        final Path dir;
        private final PythonMetadata python;
        private JsonNode pyproject;
        private Map<String, Map<String, String>> setupCfg;
        private Map<String, Object> literals;
        private Map<String, Object> backend;

        Folder(Path dir, PythonMetadata python) {
            this.dir = dir;
            this.python = python;
        }

        JsonNode pyproject() {
            if (pyproject == null) {
                Path file = dir.resolve("pyproject.toml");
                pyproject = Files.isRegularFile(file) ? Toml.read(file) : MissingNode.getInstance();
            }
            return pyproject;
        }

        Map<String, Map<String, String>> setupCfg() {
            if (setupCfg == null) {
                Path file = dir.resolve("setup.cfg");
                setupCfg = Files.isRegularFile(file) ? ProjectInspector.setupCfg(file) : Map.of();
            }
            return setupCfg;
        }

        Map<String, String> metadata() {
            return setupCfg().getOrDefault("metadata", Map.of());
        }

        Map<String, String> options() {
            return setupCfg().getOrDefault("options", Map.of());
        }

        boolean hasSetupPy() {
            return Files.isRegularFile(dir.resolve("setup.py"));
        }

        Optional<String> setupPyLiteral(String key) {
            return hasSetupPy() && literals().get(key) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
        }

        Map<String, Object> literals() {
            if (literals == null) {
                literals = python.setupLiterals(dir);
            }
            return literals;
        }

        boolean backendAsked() {
            return backend != null;
        }

        Map<String, Object> backend() {
            if (backend == null) {
                backend = python.backendMetadata(dir);
            }
            return backend;
        }

        String text(String file) {
            return read(dir.resolve(file));
        }

        static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw InspectionException.unreadable(file, e);
            }
        }
    }
}
