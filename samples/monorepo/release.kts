// The maintainer's release checklist of this monorepo (seed: monorepo-release-checklist.md),
// section by section. Run from this directory:
//
//     runner release.kts --version 3.1.0
//
// Production goes to PyPI and the rehearsal to TestPyPI unless told otherwise; `local` starts
// Slipway's embedded index on 127.0.0.1 instead (what `runner demo` does for both).

val repository = param("repository", "pypi")
val rehearsalRepository = param("rehearsal-repository", "testpypi")

val dirs = listOf("packages/acme-core", "packages/acme-scheduler", "packages/acme")
val names = listOf("acme-core", "acme-scheduler", "acme")

/**
 * A simple index URL for pip, the repository twine uploads to, and which files the index holds when its
 * address does not say it (the embedded index), for a target name.
 */
fun indexOf(target: String, job: String): Triple<Any, Any, Any?> = when (target) {
    "local" -> Triple(output("$job/$target-index", "url"), output("$job/$target-index", "upload-url"),
        output("$job/$target-index", "identity"))
    "pypi" -> Triple("https://pypi.org/simple/", "pypi", null)
    "testpypi" -> Triple("https://test.pypi.org/simple/", "testpypi", null)
    else -> error("repository \"$target\" is not one of pypi, testpypi, local")
}

pipeline("release") {
    // 0) Pre-flight, before changing anything: clean tree on main, in sync with origin,
    //    version free on the index, credentials configured.
    job("preflight") {
        if (repository == "local") step("local-index", id = "local-index") { input("storage", ".slipway/index/production") }
        step("git-hygiene") { input("branch", "main") }
        step("pypi-check") {
            input("packages", names)
            input("index", indexOf(repository, "preflight").first)
            input("current-version", "0.4.0")
        }
        step("pypi-check/credentials") { input("targets", listOf(if (repository == "local") "local" else repository)) }
    }

    // 1) Bump versions and the internal dependency ranges; 2) CHANGELOG. One commit each.
    job("bump", needs = "preflight") {
        step("fixtures/set-version") { input("packages", dirs) }
        step("fixtures/ranges") { input("packages", dirs) }
        step("fixtures/commit", id = "commit-versions") {
            input("files", listOf(output("bump/set-version", "changed"), output("bump/ranges", "changed")))
            input("message", "release: bump versions to {version}")
        }
        step("fixtures/changelog")
        step("fixtures/commit", id = "commit-changelog") {
            input("files", output("bump/changelog", "changed"))
            input("message", "docs: changelog for {version}")
        }
    }

    // 3) Full test suite, alongside the build (6): both read the committed tree, and the tests write
    //    nothing into it (no bytecode, no cache).
    job("test", needs = "bump") {
        run("pytest", "$python -m pytest -q -p no:cacheprovider") { env("PYTHONDONTWRITEBYTECODE", "1") }
    }

    // 6) Build sdist + wheel of each package, in parallel, in publish order.
    job("build", needs = "bump") {
        step("python-build") {
            input("packages", output("bump/ranges", "order"))
            input("no-isolation", true)
            input("out-dir", ".slipway/dist") // as the reference pipeline: the release leaves no untracked files
        }
    }

    // 4) Editable install smoke; 5) CLI smoke. Alongside the build: a PEP 660 editable install
    //    (setuptools 64 and newer) builds in a temp folder and the smoke writes no bytecode, so the
    //    package folders the build reads stay as they are.
    job("editable", needs = "bump") {
        step("python-smoke", id = "editable-smoke") {
            input("editable", dirs)
            input("imports", listOf("acme_core", "acme_scheduler", "acme"))
            input("version-modules", listOf("acme_core", "acme_scheduler", "acme"))
            input("scripts", listOf("acme", "acme-scheduler"))
        }
    }

    // 7) Rehearsal: upload in order, install the meta package in a clean venv, smoke it.
    job("rehearse", needs = listOf("build", "test")) {
        if (rehearsalRepository == "local") step("local-index", id = "local-index") {
            input("storage", ".slipway/index/rehearsal")
            input("generation", output("build/python-build", "sha256")) // a rebuild after a fix rehearses on a fresh index
        }
        val (simple, upload, identity) = indexOf(rehearsalRepository, "rehearse")
        step("twine-upload", id = "upload") {
            input("files", output("build/python-build", "files"))
            input("sha256", output("build/python-build", "sha256"))
            input("repository", upload)
            input("index-url", simple)
            if (identity != null) input("index-identity", identity)
            // The embedded index takes anonymous uploads, but twine insists on a user name.
            if (rehearsalRepository == "local") { input("username", "anonymous"); input("password", "no-password-needed") }
        }
        step("python-smoke", id = "smoke") {
            input("packages", listOf("acme"))
            input("index-url", simple)
            input("imports", listOf("acme_core", "acme_scheduler", "acme"))
            input("version-modules", listOf("acme_core", "acme"))
            input("scripts", listOf("acme", "acme-scheduler"))
            input("commands", listOf("acme validate ${workspace.resolve("demo/flow.yaml")}"))
        }
    }

    // 8) Approval, then production upload in the same order; 9) tag and push.
    job("publish", needs = listOf("rehearse", "editable")) {
        approval("release-manager") {
            credentials(if (repository == "local") "local" else repository)
            input("files", output("build/python-build", "files"))
            input("sha256", output("build/python-build", "sha256"))
            input("sizes", output("build/python-build", "sizes"))
            input("tags", "v$version")
            input("commits", output("preflight/git-hygiene", "commits-since-tag"))
            input("checks", listOf("test/pytest", "editable/editable-smoke", "rehearse/upload", "rehearse/smoke"))
        }
        step("git-hygiene/remote-unchanged") { input("expected", output("preflight/git-hygiene", "remote-head")) }
        if (!dryRun) {
            val (simple, upload, identity) = indexOf(repository, "preflight")
            step("twine-upload", id = "upload") {
                input("files", output("build/python-build", "files"))
                input("sha256", output("build/python-build", "sha256"))
                input("repository", upload)
                input("index-url", simple)
                if (identity != null) input("index-identity", identity)
            }
        }
        step("tagging") { input("packages", dirs) }
    }
}
