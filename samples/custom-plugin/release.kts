// A release pipeline that uses the sample plugin. From a repository with a CHANGELOG.md:
//
//   runner release.kts --version 1.2.0 --plugins-dir /path/to/custom-plugin/target/plugin
//
pipeline("release") {
    job("notes") {
        // Fails the release unless CHANGELOG.md has a "## [1.2.0]" (or "## 1.2.0") section.
        step("changelog-entry") {
            input("file", "CHANGELOG.md")
        }
    }
    job("announce", needs = "notes") {
        // The section's text, handed to a later step through the plugin's "text" output.
        step("log", id = "release-notes") {
            input("message", output("notes/changelog-entry", "text"))
        }
    }
}
