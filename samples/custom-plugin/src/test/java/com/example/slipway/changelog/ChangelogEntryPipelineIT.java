package com.example.slipway.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin (target/plugin/*.zip, written by {@code mvn package}) used by a real runner
 * process with this project's release.kts, as a user would run it. Runs in {@code mvn verify}.
 */
class ChangelogEntryPipelineIT {

    @TempDir
    Path repo;

    /** What the runner left: exit code and its output. */
    record Result(int exit, String out) {
    }

    private Result release(String version) throws Exception {
        Files.copy(Path.of("release.kts"), repo.resolve("release.kts"));
        Path target = Path.of("target").toAbsolutePath();
        // The runner and its libraries from the test classpath, but not this plugin's own classes:
        // the runner must find the plugin through --plugins-dir only.
        String runnerClasspath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !Path.of(p).toAbsolutePath().startsWith(target))
                .collect(Collectors.joining(File.pathSeparator));
        Path output = repo.resolve("runner.out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", runnerClasspath, "io.slipway.runner.cli.Main",
                "release.kts", "--version", version, "--plugins-dir", System.getProperty("plugin.dir"))
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        // No distribution here: an empty SLIPWAY_HOME keeps any other plugins out of the run.
        pb.environment().put("SLIPWAY_HOME", Files.createDirectories(repo.resolve(".no-home")).toString());
        pb.environment().put("SLIPWAY_CACHE_DIR", target.resolve("script-cache").toString());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the runner did not finish in 3 minutes:\n" + Files.readString(output));
        }
        return new Result(p.exitValue(), Files.readString(output));
    }

    @Test
    void aReleasePassesTheChangelogSectionToALaterStep() throws Exception {
        Files.writeString(repo.resolve("CHANGELOG.md"), "# Changelog\n\n## [1.2.0] - 2026-11-23\n\n- Faster startup.\n");
        Result r = release("1.2.0");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("CHANGELOG.md:3 ## [1.2.0] - 2026-11-23"), r.out());
        List<String> notes = r.out().lines().filter(l -> l.contains("- Faster startup.")).toList();
        assertTrue(notes.stream().anyMatch(l -> l.contains("release-notes")), r.out());
    }

    @Test
    void aReleaseWithoutItsSectionStopsAtTheCheck() throws Exception {
        Files.writeString(repo.resolve("CHANGELOG.md"), "# Changelog\n\n## [1.1.0] - 2026-10-01\n\n- First.\n");
        Result r = release("1.2.0");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("CHANGELOG.md has no section for 1.2.0"), r.out());
    }
}
