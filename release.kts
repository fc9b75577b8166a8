// Slipway's reference pipeline: releases the Python repository this file is copied into.
//
//     cp release.kts /path/to/your/repo/ && cd /path/to/your/repo
//     runner release.kts --version 3.1.0
//
// What the repository holds (one package at the top or several in packages/*, libs/* or folders one
// level down; names, where each version lives, tests, changelog, tag convention) is read from its
// files by Slipway itself: `runner validate release.kts` prints it. Options, all --set:
//
//   repository            .pypirc name, upload URL, or `local` (embedded index)        default pypi
//   index-url             simple index to read (derived for pypi, testpypi, local)
//   rehearsal-repository  name, URL, `local`, or `none` to skip the rehearsal           default testpypi
//   rehearsal-index-url   simple index of the rehearsal (derived for testpypi, local)
//   packages              ,-separated package folders, in place of the ones found
//   tag-format            e.g. v{version} or {version}     default: follows the repository's tags
//   per-package-tags      true: also <package>-v{version} for each package            default false
//   test-command          the test suite, a shell command line
//                         default `<python> -m pytest -q` when tests exist, src/ folders first on PYTHONPATH
//   smoke-commands        ;-separated shell commands that must fail cleanly (no traceback) after install
//   smoke-pip-args        extra pip arguments for the smoke install (e.g. --no-deps)
//   smoke-system-packages true: the smoke venv also sees the interpreter's packages (offline rehearsals)
//   build-args            extra `python -m build` arguments (offline: --no-isolation)
//   version-files         ,-separated extra files holding a copy of the version
//   branch                the release branch       default: the repository's default branch (origin/HEAD,
//                                                  else main, or master when it has no main)
//   backport              true: a maintenance release, older than the newest one on the index (e.g. 0.4.1
//                         after 1.0.0); its tags and changelog are the branch's own
//                                                  default: true when branch is not the default branch
//   range-policy          a sibling requirement's upper bound in a monorepo: `move` keeps it at the same
//                         distance (acme-core>=0.4,<0.5 becomes >=0.5.0,<0.6), `refuse` stops the
//                         preflight naming the requirement                              default move
//   strict-changelog      true: stop the preflight when the release notes are empty or incomplete (no
//                         Unreleased section, no entries under it, breaking changes without migration
//                         notes); otherwise a warning                                   default false
//
// The sdists and wheels are built into .slipway/dist/, not dist/, so the release leaves the tree clean.

fun list(key: String, separator: Char) = param(key, "").split(separator).map { it.trim() }.filter { it.isNotEmpty() }
fun flag(key: String, default: Boolean = false) = when (val value = param(key, default.toString())) {
    "true" -> true
    "false" -> false
    else -> error("--set $key=$value: use true or false")
}

val repository = param("repository", "pypi")
val rehearsal = param("rehearsal-repository", "testpypi")
val branch = param("branch", defaultBranch)
val backport = flag("backport", branch != defaultBranch)
val perPackageTags = flag("per-package-tags")
val rangePolicy = param("range-policy", "move")
if (rangePolicy !in listOf("move", "refuse")) error("--set range-policy=$rangePolicy: use move or refuse")
val strictChangelog = flag("strict-changelog")
val project = inspect(list("packages", ','))
val tagFormat = param("tag-format", existingTagFormat)
val givenTests = param("test-command")
val build = "build/python-build"
val buildArgs = list("build-args", ' ')
val releaseTags = listOf(tagFormat.replace("{version}", version)).filter { it.isNotEmpty() } +
    if (perPackageTags) project.dirs().map { "${java.io.File(it).name}-v$version" } else emptyList()
val runsTests = givenTests != null || project.tests().isNotEmpty()
// The files the release's own steps edit: the release commit holds exactly these. A dry run commits nothing and
// builds them as the working tree has them, which the build's built-from check accepts then (and only then).
val releaseEdits = listOfNotNull(output("prepare/set-version", "changed"),
    if (project.monorepo()) output("prepare/ranges", "changed") else null, output("prepare/changelog", "changed"))

/**
 * The simple index pip and the checks read, what twine uploads to, and which files the index holds when
 * its address does not say it (the embedded index: a new port every run, a fresh index for a new build).
 */
fun target(name: String, indexParam: String, job: String): Triple<Any, Any, Any?>? = when (name) {
    "none" -> null
    "local" -> Triple(output("$job/local-index", "url"), output("$job/local-index", "upload-url"),
        output("$job/local-index", "identity"))
    "pypi" -> Triple(param(indexParam, "https://pypi.org/simple/"), name, null)
    "testpypi" -> Triple(param(indexParam, "https://test.pypi.org/simple/"), name, null)
    else -> Triple(param(indexParam) ?: error("--set $indexParam=<simple index URL> is needed for repository \"$name\""), name, null)
}
val production = target(repository, "index-url", "preflight")!!
val rehearsalTarget = target(rehearsal, "rehearsal-index-url", "rehearse")

pipeline("release") {
    // Pre-flight: clean tree on the release branch, in sync with the remote, the version free on
    // the index, credentials there (a warning here; the approval enforces them).
    job("preflight") {
        if (repository == "local") step("local-index") { input("storage", ".slipway/index/production") }
        step("git-hygiene") {
            input("branch", branch)
            // the last release, whichever of the two conventions it was tagged in (tag-format may have changed):
            // the newest such tag reachable from the branch, so a maintenance branch lists the commits since its own
            input("tag-pattern", "{v[0-9]*,[0-9]*}")
            // the tags this release makes must be free before anything changes, not found taken after the upload
            input("tags", releaseTags)
        }
        step("pypi-check") {
            input("packages", project.names())
            input("index", production.first)
            input("allow-backport", backport)
        }
        step("pypi-check/credentials") { input("targets", listOf(repository)) }
        // What the later steps need, checked before anything changes: the Python modules they run, each
        // package's build backend, and a changelog that can take the release's section.
        step("python-build/check") {
            input("packages", project.dirs())
            input("build-args", buildArgs)
            input("modules", listOf("build", "twine") + (if (rehearsalTarget != null) listOf("venv", "pip") else emptyList()) +
                (if (givenTests == null && project.tests().isNotEmpty()) listOf("pytest") else emptyList()) +
                (if (project.packages().any { it.changelog()?.style() == "towncrier" }) listOf("towncrier") else emptyList()))
        }
        // The dependency graph (a cycle) and the ranges (an upper bound refused) are checked before any file changes.
        if (project.monorepo()) step("fixtures/ranges", id = "ranges") {
            input("packages", project.dirs())
            input("upper-bounds", rangePolicy)
            input("check", true)
        }
        // Each package's changelog and the top one; their notes are shown at the approval.
        step("fixtures/changelog", id = "changelog") {
            input("check", true)
            input("packages", project.dirs())
            input("require-entries", strictChangelog)
            input("require-migration-notes", strictChangelog)
        }
    }

    // Prepare: versions, internal ranges, CHANGELOG, tests, one commit.
    job("prepare", needs = "preflight") {
        step("fixtures/set-version") {
            input("packages", project.dirs())
            input("version-files", list("version-files", ','))
        }
        if (project.monorepo()) step("fixtures/ranges") {
            input("packages", project.dirs())
            input("upper-bounds", rangePolicy)
        }
        step("fixtures/changelog") {
            input("packages", project.dirs())
            input("require-entries", strictChangelog)
            input("require-migration-notes", strictChangelog)
        }
        // The tests run on the bumped tree before the release commit: a failure leaves no commit, and the
        // edited files are given back as they were (the next run edits them again).
        // The default tests import the packages from src/ ahead of anything installed, and write no bytecode.
        if (givenTests != null) run("tests", givenTests)
        else if (project.tests().isNotEmpty()) run("tests", listOf(python, "-m", "pytest", "-q", "-p", "no:cacheprovider")) {
            env("PYTHONDONTWRITEBYTECODE", "1")
            val path = project.sourceRoots() + listOfNotNull(env("PYTHONPATH"))
            if (path.isNotEmpty()) env("PYTHONPATH", path.joinToString(":"))
        }
        step("fixtures/commit") { input("files", releaseEdits) }
        // A version from a tag needs the tag on HEAD before the build; it is pushed only after the upload.
        if (project.versionFromTag()) step("tagging/create", id = "tag") {
            input("tag-format", tagFormat)
            if (perPackageTags) input("packages", project.dirs())
        }
    }

    job("build", needs = "prepare") {
        step("python-build") {
            input("packages", if (project.monorepo()) output("prepare/ranges", "order") else project.dirs())
            input("build-args", buildArgs)
            // Not dist/: artifacts left untracked in the tree would fail the next release's clean-tree check.
            input("out-dir", ".slipway/dist")
        }
        // The commit the artifacts come from: the tag names it, and the upload waits for HEAD to be there.
        // In a dry run that is HEAD plus the release's uncommitted edits.
        step("git-hygiene/built-from") { input("release-edits", releaseEdits) }
    }

    // Rehearsal: upload to the rehearsal index, install every package in a clean venv, check it.
    if (rehearsalTarget != null) job("rehearse", needs = "build") {
        if (rehearsal == "local") step("local-index") {
            input("storage", ".slipway/index/rehearsal")
            input("generation", output(build, "sha256")) // a rebuild after a fix rehearses on a fresh index
        }
        step("twine-upload", id = "upload") {
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("repository", rehearsalTarget.second)
            input("index-url", rehearsalTarget.first)
            rehearsalTarget.third?.let { input("index-identity", it) }
            // The embedded index takes anonymous uploads, but twine insists on a user name.
            if (rehearsal == "local") { input("username", "anonymous"); input("password", "no-password-needed") }
        }
        step("python-smoke", id = "smoke") {
            input("packages", project.names())
            input("index-url", rehearsalTarget.first)
            if (repository == "pypi" && rehearsal == "testpypi") input("extra-index-url", "https://pypi.org/simple/")
            input("pip-args", list("smoke-pip-args", ' '))
            input("system-site-packages", flag("smoke-system-packages"))
            input("imports", project.imports())
            input("version-modules", project.versionModules())
            input("scripts", project.scripts())
            input("commands", list("smoke-commands", ';'))
        }
    }

    // Publish: approval, the remote unchanged since pre-flight, upload in order, tag and push.
    // A dry run stops short of approval and upload; tagging only asks the remote (nothing is pushed).
    job("publish", needs = if (rehearsalTarget != null) "rehearse" else "build") {
        if (!dryRun) approval("release-manager") {
            credentials(repository)
            (production.first as? String)?.let { input("target-urls", mapOf(repository to it)) }
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("sizes", output(build, "sizes"))
            input("tags", releaseTags)
            input("commit", output("build/built-from", "commit"))
            input("branch", branch)
            input("commits", output("preflight/git-hygiene", "commits-since-tag"))
            input("checks", listOfNotNull(if (runsTests) "prepare/tests" else null) +
                if (rehearsalTarget != null) listOf("rehearse/upload", "rehearse/smoke") else emptyList())
            input("release-notes", output("prepare/changelog", "notes"))
        }
        step("git-hygiene/remote-unchanged") {
            input("expected", output("preflight/git-hygiene", "remote-head"))
            input("built-from", output("build/built-from", "commit"))
            input("branch", branch)
            input("tags", releaseTags)
        }
        if (!dryRun) step("twine-upload", id = "upload") {
            input("files", output(build, "files"))
            input("sha256", output(build, "sha256"))
            input("repository", production.second)
            input("index-url", production.first)
            production.third?.let { input("index-identity", it) }
        }
        step("tagging") {
            input("tag-format", tagFormat)
            input("commit", output("build/built-from", "commit"))
            if (perPackageTags) input("packages", project.dirs())
        }
    }
}
