package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner abandon} given other --set options than the release ran with: the script then lacks
 * steps the release ran, which cannot be asked what they published. It refuses, saying that (not
 * that something is out there), with the options the journal recorded, credentials masked.
 */
@Tag("process")
class AbandonOptionsTest {

    private static final String TOKEN = "api-token-4711";

    @TempDir
    Path dir;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                val extra = param("extra", "no")
                val token = param("token", "")
                val note = param("note", "")
                pipeline("release") {
                    job("prepare") {
                        env("API_TOKEN", token)
                        if (extra == "yes") log("extra", "a step only --set extra=yes has " + note)
                        log("main", "the step every run has")
                    }
                }
                """);
    }

    @Test
    void withoutTheReleasesOptionsAbandonRefusesNamingTheStepsAndTheOptionsToGive() throws Exception {
        var released = Runner.run(dir, "release.kts", "--version", "1.0", "--set", "extra=yes", "--set", "token=" + TOKEN,
                "--set", "note=two words");
        assertEquals(0, released.exit(), released::toString);
        Path journal = dir.resolve(".slipway/release/1.0/journal.json");
        String recorded = Files.readString(journal);
        assertTrue(recorded.contains("\"extra\" : \"yes\"") && recorded.contains("\"token\" : \"***\""), recorded);

        var refused = Runner.run(dir, "abandon", "release.kts", "--version", "1.0");

        String all = refused.out() + refused.err();
        assertEquals(2, refused.exit(), refused::toString);
        assertTrue(all.contains("error: cannot abandon release 1.0: the script, evaluated with these options, does not have the"
                + " release's step prepare/extra; nothing is known to be published"), all);
        assertTrue(all.contains("  prepare/extra: cannot tell what it published: the script, evaluated with these options, has no"
                + " such step"), all);
        assertTrue(all.contains("hint: run abandon with the --set options the release's last run ("), all);
        assertTrue(all.contains("as its journal " + journal.toRealPath() + " records them: runner abandon release.kts --version 1.0"
                + " --set extra=yes --set 'token=***' --set 'note=two words' (a value shown as *** held a credential: give it as you"
                + " did then); nothing was changed here"), all);
        assertFalse(all.contains("already out there") || all.contains("cannot be taken back"), all);
        assertTrue(Files.exists(journal), "nothing was changed");
        try (Stream<Path> files = Files.walk(dir.resolve(".slipway"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(TOKEN), f + " holds the token");
            }
        }
        assertFalse(all.contains(TOKEN), all);

        var abandoned = Runner.run(dir, "abandon", "release.kts", "--version", "1.0", "--set", "extra=yes",
                "--set", "token=" + TOKEN, "--set", "note=two words");

        assertEquals(0, abandoned.exit(), abandoned::toString);
        assertFalse(Files.exists(journal));
    }

    @Test
    void withTheReleasesOptionsAndStillAStepMissingTheScriptChanged() throws Exception {
        var released = Runner.run(dir, "release.kts", "--version", "1.0", "--set", "extra=yes");
        assertEquals(0, released.exit(), released::toString);
        Files.writeString(dir.resolve("release.kts"), Files.readString(dir.resolve("release.kts")).replace("if (extra == \"yes\") ", "if (false) "));

        var refused = Runner.run(dir, "abandon", "release.kts", "--version", "1.0", "--set", "extra=yes");

        String all = refused.out() + refused.err();
        assertEquals(2, refused.exit(), refused::toString);
        assertTrue(all.contains("does not have the release's step prepare/extra"), all);
        assertTrue(all.contains("hint: abandon has the --set options the release ran with (its journal "), all);
        assertTrue(all.contains("so the script, or the environment it reads, changed since the release ran"), all);
    }
}
