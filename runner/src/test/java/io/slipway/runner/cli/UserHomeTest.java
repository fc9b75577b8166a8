package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The home folder the runner gives Java (and so JGit, and the script cache): {@code $HOME}, as git has it. */
class UserHomeTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty("user.home");
    }

    @AfterEach
    void restore() {
        System.setProperty("user.home", saved);
    }

    @Test
    void homeComesFromTheEnvironmentWhenItIsAnAbsolutePath() {
        System.setProperty("user.home", "/from/passwd");
        Main.useHomeOf(Map.of("HOME", "/from/env"));
        assertEquals("/from/env", System.getProperty("user.home"));

        Main.useHomeOf(Map.of("HOME", "relative"));
        assertEquals("/from/env", System.getProperty("user.home"), "a relative HOME is ignored");
    }

    @Test
    void aUserWithoutPasswdEntryOrHomeGetsTheRootFolderNotTheWorkingDirectory() {
        System.setProperty("user.home", "?"); // what Java says for a uid without a passwd entry
        Main.useHomeOf(Map.of());
        assertEquals("/", System.getProperty("user.home"));
    }
}
