package io.slipway.runner.cli;

import io.slipway.python.Pep440Version;

/**
 * Checks {@code --version} before anything runs. Only a public PEP 440 version in its normalised
 * form is accepted: it is written into files, the commit message, the tag, the journal's path and
 * the log's name exactly as given, and the build names the artifacts with the normalised form, so
 * any other spelling ({@code v1.2}, {@code 01.2.3}, {@code 1.0.0-RC1}) is refused with that form
 * suggested rather than changed silently.
 */
final class ReleaseVersion {

    private ReleaseVersion() {
    }

    static void check(String typed) throws UserError {
        Pep440Version parsed;
        try {
            parsed = Pep440Version.parse(typed);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--version \"" + typed + "\" is not a PEP 440 version",
                    "give one like 1.2.3, 1.2.3rc1, 1.2.3.post1 or 1.2.3.dev4");
        }
        if (parsed.isLocal()) {
            throw UserError.usage("--version " + typed + " has a local label (+" + String.join(".", parsed.local())
                    + "), which package indexes refuse", "release a public version, e.g. --version " + parsed.publicVersion());
        }
        if (!parsed.toString().equals(typed)) {
            throw UserError.usage("--version \"" + typed + "\" is not written the way PEP 440 normalises it, which is how"
                    + " the build names the artifacts", "did you mean --version " + parsed + "?");
        }
    }
}
