// The publish workflow of a single package (seed: publish-workflow.md), step by step:
//
//     runner release.kts --version 2.5.0                     a maintainer at a terminal
//     runner release.kts --version 2.5.0 --set headless=true  the scheduler: non-interactive,
//                                                            approved only when credentials exist
//     runner release.kts --version 2.5.0 --dry-run           builds and uploads to TestPyPI only,
//                                                            VERSION and fixtures restored afterwards
//
// `--set repository=local` / `--set rehearsal-repository=local` use the embedded index instead.

val repository = param("repository", "pypi")
val rehearsalRepository = param("rehearsal-repository", "testpypi")
val headless = param("headless", "false").toBoolean()

/**
 * The index pip reads, the repository twine uploads to, and which files the index holds when its address
 * does not say it (the embedded index), for a target.
 */
fun target(name: String, job: String): Triple<Any, Any, Any?> = when (name) {
    "local" -> Triple(output("$job/$name-index", "url"), output("$job/$name-index", "upload-url"),
        output("$job/$name-index", "identity"))
    "pypi" -> Triple("https://pypi.org/simple/", "pypi", null)
    "testpypi" -> Triple("https://test.pypi.org/simple/", "testpypi", null)
    else -> error("repository \"$name\" is not one of pypi, testpypi, local")
}

// In a dry run, "production" is the rehearsal index: nothing real is published.
val production = if (dryRun) rehearsalRepository else repository

pipeline("publish") {
    // 1. Check version number availability: sync with origin/main, clean tree (VERSION and release
    //    fixtures may be auto-committed), the version newer than the repository's and not on PyPI.
    job("check-version") {
        if (production == "local") step("local-index", id = "local-index") { input("storage", ".slipway/index/production") }
        step("git-hygiene") {
            input("allow", listOf("VERSION", "fixtures/*.json"))
            input("commit-message", "release: commit pending VERSION and fixture changes")
        }
        step("pypi-check") {
            input("packages", listOf("shipyard"))
            input("index", target(production, "check-version").first)
            input("current-version", workspace.resolve("VERSION").toFile().readText().trim())
        }
    }

    // 2. Freeze, squash and approve migrations: a manual checkpoint, logged.
    job("migrations", needs = "check-version") {
        confirm("migrations-squashed", "Migrations are frozen, squashed and approved", auto = headless)
    }

    // 3. Pre-release actions: bump VERSION, refresh the release fixtures, commit if anything changed.
    job("pre-release", needs = "migrations") {
        step("fixtures/set-version")
        step("fixtures/changelog")
        step("fixtures/release-record", id = "record") {
            input("file", "fixtures/releases.json")
            input("list", "releases")
        }
        step("fixtures/commit") {
            input("files", listOf(output("pre-release/set-version", "changed"), output("pre-release/changelog", "changed"),
                output("pre-release/record", "changed")))
            input("message", "release: shipyard {version}")
        }
    }

    // 4. Build: origin/main must be unchanged since step 1; sdist + wheel, hashed and checked.
    job("build", needs = "pre-release") {
        step("git-hygiene/remote-unchanged") { input("expected", output("check-version/git-hygiene", "remote-head")) }
        step("python-build") { input("no-isolation", true) }
    }

    // 5. The full test suite (run here; the --all acknowledgement is recorded like the UI did).
    job("tests", needs = "build") {
        run("pytest", "$python -m pytest -q -p no:cacheprovider")
        confirm("tests-all", "The full test suite ran with --all", auto = headless)
    }

    // Rehearsal on TestPyPI: upload, then install into a clean venv and check it.
    if (rehearsalRepository != "none") job("rehearse", needs = "tests") {
        if (rehearsalRepository == "local") step("local-index", id = "local-index") {
            input("storage", ".slipway/index/rehearsal")
            input("generation", output("build/python-build", "sha256")) // a rebuild after a fix rehearses on a fresh index
        }
        val (simple, upload, identity) = target(rehearsalRepository, "rehearse")
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
            input("packages", listOf("shipyard"))
            input("index-url", simple)
            input("imports", listOf("shipyard", "shipyard.models"))
            input("version-modules", listOf("shipyard"))
            input("scripts", listOf("shipyard"))
        }
    }

    // 6. Release manager approval: PyPI credentials required; in headless runs approved by policy.
    // 7. Upload the final build, record the publish URLs in the fixtures, commit and push with the tag.
    job("publish", needs = if (rehearsalRepository != "none") "rehearse" else "tests") {
        approval("release-manager") {
            credentials(production)
            input("files", output("build/python-build", "files"))
            input("sha256", output("build/python-build", "sha256"))
            input("sizes", output("build/python-build", "sizes"))
            input("tags", "v$version")
            input("commits", output("check-version/git-hygiene", "commits-since-tag"))
            input("checks", listOf("tests/pytest") + if (rehearsalRepository != "none") listOf("rehearse/upload", "rehearse/smoke") else emptyList())
        }
        if (!dryRun) {
            val (simple, upload, identity) = target(production, "check-version")
            step("twine-upload", id = "upload") {
                input("files", output("build/python-build", "files"))
                input("sha256", output("build/python-build", "sha256"))
                input("repository", upload)
                input("index-url", simple)
                if (identity != null) input("index-identity", identity)
            }
            step("fixtures/release-record", id = "record-urls") {
                input("file", "fixtures/releases.json")
                input("list", "releases")
                input("urls", output("publish/upload", "urls"))
            }
            step("fixtures/commit", id = "commit-urls") {
                input("files", output("publish/record-urls", "changed"))
                input("message", "release: publish URLs of shipyard {version}")
            }
        }
        step("tagging")
        log("done", "shipyard $version released")
    }
}
