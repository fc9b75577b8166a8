// Slipway's reference pipeline: releases the Python repository this file is copied into.
//
//     cp release.kts /path/to/your/repo/ && cd /path/to/your/repo
//     runner release.kts --version 3.1.0
//
// A single package (pyproject.toml at the root) or a monorepo (packages/*/pyproject.toml, published
// in the order of their internal dependencies) is detected from the files. Options, all --set:
//
//   repository            .pypirc name, upload URL, or `local` (embedded index)        default pypi
//   index-url             simple index to read (derived for pypi, testpypi, local)
//   rehearsal-repository  name, URL, `local`, or `none` to skip the rehearsal           default testpypi
//   rehearsal-index-url   simple index of the rehearsal (derived for testpypi, local)
//   tag-format            e.g. v{version} or {version}     default: follows the repository's tags
//   per-package-tags      true: also <package>-v{version} for each package            default false
//   test-command          the test suite                 default `<python> -m pytest -q` when tests exist
//                         (that default: src/ folders first on PYTHONPATH)
//   smoke-commands        ;-separated commands that must fail cleanly (no traceback) after install
//   smoke-pip-args        extra pip arguments for the smoke install (e.g. --no-deps)
//   build-args            extra `python -m build` arguments (offline: --no-isolation)
//   version-files         ,-separated extra files holding a copy of the version
//   branch                the release branch                                           default main
//
// The sdists and wheels are built into .slipway/dist/, not dist/, so the release leaves the tree clean.

import java.io.File

val repository = param("repository", "pypi")
val rehearsal = param("rehearsal-repository", "testpypi")
val branch = param("branch", "main")
val perPackageTags = param("per-package-tags", "false").toBoolean()
val smokeCommands = param("smoke-commands", "").split(';').map { it.trim() }.filter { it.isNotEmpty() }
val smokePipArgs = param("smoke-pip-args", "").split(' ').filter { it.isNotBlank() }
val buildArgs = param("build-args", "").split(' ').filter { it.isNotBlank() }
val versionFiles = param("version-files", "").split(',').map { it.trim() }.filter { it.isNotEmpty() }

// ---- what the repository looks like -------------------------------------------------------------

val root = workspace.toFile()
val monorepo = File(root, "packages").listFiles { f -> File(f, "pyproject.toml").isFile }?.isNotEmpty() == true
val dirs: List<String> = if (monorepo)
    File(root, "packages").listFiles { f -> File(f, "pyproject.toml").isFile }!!.map { "packages/${it.name}" }.sorted()
else listOf(".")

fun pyproject(dir: String) = File(root, "$dir/pyproject.toml").readText()

/** The lines of one TOML table, up to the next table header. */
fun table(text: String, header: String): List<String> =
    text.lines().dropWhile { it.trim() != "[$header]" }.drop(1).takeWhile { !it.trim().startsWith("[") }

fun projectName(dir: String): String {
    val text = pyproject(dir)
    val line = (table(text, "project") + table(text, "tool.poetry")).firstOrNull { Regex("""^name\s*=""").containsMatchIn(it.trim()) }
        ?: error("$dir/pyproject.toml has no [project] name (or [tool.poetry] name)")
    return line.substringAfter('=').trim().trim('"', '\'')
}

/** The importable top-level module of a project, if its sources are where setuptools/hatch/flit look. */
fun module(dir: String): String? {
    val guess = projectName(dir).lowercase().replace('-', '_').replace('.', '_')
    return listOf("src/$guess", guess, "src/$guess.py", "$guess.py").firstOrNull { File(root, "$dir/$it").exists() }?.let { guess }
}

fun hasDunderVersion(dir: String): Boolean = module(dir)?.let { m ->
    listOf("src/$m/__init__.py", "$m/__init__.py", "src/$m.py", "$m.py").map { File(root, "$dir/$it") }
        .firstOrNull { it.isFile }?.readText()?.contains("__version__") } == true

fun scripts(dir: String): List<String> = pyproject(dir).let { (table(it, "project.scripts") + table(it, "tool.poetry.scripts")) }
    .mapNotNull { Regex("""^\s*"?([A-Za-z0-9_.-]+)"?\s*=""").find(it)?.groupValues?.get(1) }

/** The version comes from a git tag (setuptools-scm, hatch-vcs, pdm scm): tag before the build. */
val versionFromTag = dirs.any { d -> pyproject(d).let { it.contains("setuptools_scm") || it.contains("setuptools-scm") ||
    it.contains("hatch-vcs") || Regex("""source\s*=\s*"(vcs|scm)"|use_scm\s*=\s*true""").containsMatchIn(it) } }

val names = dirs.map(::projectName)
val modules = dirs.mapNotNull(::module)
val versionModules = dirs.filter(::hasDunderVersion).mapNotNull(::module)
val consoleScripts = dirs.flatMap(::scripts)

/** Existing release tags decide the format: 1.5.0 style if the repository uses it, else v1.5.0. */
val tagFormat = param("tag-format", run {
    val git = File(root, ".git")
    val tags = (File(git, "refs/tags").list()?.toList() ?: emptyList()) +
        (File(git, "packed-refs").takeIf { it.isFile }?.readLines()?.mapNotNull { l -> l.substringAfter("refs/tags/", "").ifEmpty { null } } ?: emptyList())
    if (tags.any { Regex("""^\d+\.\d+""").containsMatchIn(it) } && tags.none { Regex("""^v\d""").containsMatchIn(it) }) "{version}" else "v{version}"
})

val hasTests = listOf("tests", "test").any { File(root, it).isDirectory } || dirs.any { File(root, "$it/tests").isDirectory }
val givenTestCommand = param("test-command")
// No cache directory: a release (and a dry run above all) leaves the tree as it found it.
val testCommand = givenTestCommand ?: if (hasTests) "$python -m pytest -q -p no:cacheprovider" else ""
// The default test command imports src-layout packages from their sources, ahead of anything the
// interpreter has installed (Debian's pytest brings its own copies of some libraries), and writes
// no bytecode there. A --set test-command runs with the environment as it is.
val testEnv: Map<String, String> = if (givenTestCommand != null) emptyMap() else {
    val path = (dirs.map { if (it == ".") "src" else "$it/src" }.filter { File(root, it).isDirectory }
        .map { File(root, it).path } + listOfNotNull(env("PYTHONPATH"))).joinToString(File.pathSeparator)
    mapOf("PYTHONDONTWRITEBYTECODE" to "1") + (if (path.isEmpty()) emptyMap() else mapOf("PYTHONPATH" to path))
}

// ---- where uploads go ---------------------------------------------------------------------------

/** The simple index pip and the checks read, and what twine uploads to, for a target. */
fun target(name: String, indexParam: String, job: String): Pair<Any, Any>? {
    val explicit = param(indexParam)
    return when {
        name == "none" -> null
        name == "local" -> output("$job/$name-index", "url") to output("$job/$name-index", "upload-url")
        name == "pypi" -> (explicit ?: "https://pypi.org/simple/") to name
        name == "testpypi" -> (explicit ?: "https://test.pypi.org/simple/") to name
        else -> (explicit ?: error("--set $indexParam=<simple index URL> is needed for repository \"$name\"")) to name
    }
}

val production = target(repository, "index-url", "preflight")!!

/** The embedded index takes anonymous uploads, but twine insists on a user name: give it a placeholder. */
fun io.slipway.runner.script.StepBuilder.anonymous() {
    input("username", "anonymous")
    input("password", "no-password-needed")
}
val rehearsalTarget = target(rehearsal, "rehearsal-index-url", "rehearse")
val build = "build/python-build"

pipeline("release") {
    // Pre-flight: clean tree on the release branch, in sync with the remote, the version free on
    // the index, credentials there (a warning here; the approval enforces them).
    job("preflight") {
        if (repository == "local") step("local-index", id = "local-index") { input("storage", ".slipway/index/production") }
        step("git-hygiene") {
            input("branch", branch)
            // The last release tag in the repository's own format (`1.4.0` as well as `v1.4.0`).
            input("tag-pattern", tagFormat.replace("{version}", "[0-9]*"))
        }
        step("pypi-check") {
            input("packages", names)
            input("index", production.first)
        }
        step("pypi-check/credentials") { input("targets", listOf(repository)) }
    }

    // Prepare: versions, internal ranges, CHANGELOG, one commit; tests.
    job("prepare", needs = "preflight") {
        step("fixtures/set-version") {
            input("packages", dirs)
            input("version-files", versionFiles)
        }
        if (monorepo) step("fixtures/ranges") { input("packages", dirs) }
        step("fixtures/changelog") { input("require-entries", false) }
        step("fixtures/commit") {
            input("files", listOfNotNull(output("prepare/set-version", "changed"),
                if (monorepo) output("prepare/ranges", "changed") else null, output("prepare/changelog", "changed")))
        }
        if (testCommand.isNotBlank()) run("tests", testCommand) { testEnv.forEach { (name, value) -> env(name, value) } }
        // A version from a tag needs the tag on HEAD before the build; it is pushed only after the upload.
        if (versionFromTag) step("tagging/create", id = "tag") {
            input("tag-format", tagFormat)
            if (perPackageTags) input("packages", dirs)
        }
    }

    job("build", needs = "prepare") {
        step("python-build") {
            input("packages", if (monorepo) output("prepare/ranges", "order") else dirs)
            input("build-args", buildArgs)
            // Not dist/: artifacts left untracked in the tree would fail the next release's clean-tree check.
            input("out-dir", ".slipway/dist")
        }
    }

    // Rehearsal: upload to the rehearsal index, install every package in a clean venv, check it.
    if (rehearsalTarget != null) job("rehearse", needs = "build") {
        if (rehearsal == "local") step("local-index", id = "local-index") {
            input("storage", ".slipway/index/rehearsal")
            input("generation", output(build, "sha256")) // a rebuild after a fix rehearses on a fresh index
        }
        step("twine-upload", id = "upload") {
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("repository", rehearsalTarget.second)
            input("index-url", rehearsalTarget.first)
            if (rehearsal == "local") anonymous()
        }
        step("python-smoke", id = "smoke") {
            input("packages", names)
            input("index-url", rehearsalTarget.first)
            if (repository == "pypi" && rehearsal == "testpypi") input("extra-index-url", "https://pypi.org/simple/")
            input("pip-args", smokePipArgs)
            input("imports", modules)
            input("version-modules", versionModules)
            input("scripts", consoleScripts)
            input("commands", smokeCommands)
        }
    }

    // Publish: approval, the remote unchanged since pre-flight, upload in order, tag and push.
    // A dry run stops short of approval and upload; tagging only asks the remote (nothing is pushed).
    job("publish", needs = if (rehearsalTarget != null) "rehearse" else "build") {
        if (!dryRun) approval("release-manager") {
            credentials(repository)
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("sizes", output(build, "sizes"))
            input("tag", tagFormat.replace("{version}", version))
            input("commits", output("preflight/git-hygiene", "commits-since-tag"))
        }
        step("git-hygiene/remote-unchanged") {
            input("expected", output("preflight/git-hygiene", "remote-head"))
            input("branch", branch)
        }
        if (!dryRun) step("twine-upload", id = "upload") {
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("repository", production.second)
            input("index-url", production.first)
        }
        step("tagging") {
            input("tag-format", tagFormat)
            if (perPackageTags) input("packages", dirs)
        }
    }
}
