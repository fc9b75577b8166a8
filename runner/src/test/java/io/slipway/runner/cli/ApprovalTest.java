package io.slipway.runner.cli;

import static io.slipway.runner.cli.Runner.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approval gates and secrets in non-interactive runs (the runner's output is not a terminal here). */
@Tag("process")
class ApprovalTest {

    @TempDir
    Path dir;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("prepare") {
                        confirm("migrations", "Migrations are squashed and approved")
                        run("build", "sh -c 'echo built >> build.count'")
                    }
                    job("publish", needs = "prepare") {
                        approval("release-manager") { credentials("pypi") }
                        run("upload", "sh -c 'echo uploading with \\$UPLOAD_TOKEN; echo up >> upload.count'")
                    }
                }
                """);
    }

    private Runner.Result run(String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("release.kts", "--version", "1.0"), Stream.of(args)).toArray(String[]::new);
        return Runner.run(dir, Map.of("UPLOAD_TOKEN", "s3cr3t-token-value"), all);
    }

    @Test
    void aConfirmationWithoutApproveWaitsWithExitThreeAndNamesTheFlag() throws Exception {
        var r = run();
        assertEquals(3, r.exit(), r::toString);
        assertTrue(r.out().contains("--approve migrations"), r::toString);
        assertEquals(0, lines(dir.resolve("build.count")));
    }

    @Test
    void anApprovalWithoutCredentialsWaitsAndResumesWithApproveWithoutRedoingEarlierSteps() throws Exception {
        var first = run("--approve", "migrations");
        assertEquals(3, first.exit(), first::toString);
        assertTrue(first.out().contains("missing credentials for pypi"), first::toString);
        assertEquals(1, lines(dir.resolve("build.count")));
        assertEquals(0, lines(dir.resolve("upload.count")));

        var second = run("--approve", "migrations", "--approve", "release-manager");
        assertEquals(0, second.exit(), second::toString);
        assertEquals(1, lines(dir.resolve("build.count")), "the build must not run again");
        assertEquals(1, lines(dir.resolve("upload.count")));
        JsonNode report = new ObjectMapper().readTree(dir.resolve(".slipway/release/1.0/report.json").toFile());
        assertEquals("approved", report.at("/steps/publish~1release-manager/approval/decision").asText());
        assertEquals("--approve release-manager", report.at("/steps/publish~1release-manager/approval/how").asText());
        assertEquals(2, report.get("runs").size());
    }

    @Test
    void theApproverIsRecordedWithTheGitIdentityOfTheRepository() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("user", null, "name", "Rita Manager");
            config.setString("user", null, "email", "rita@example.org");
            config.save();
        }
        var r = run("--approve", "migrations", "--approve", "release-manager");
        assertEquals(0, r.exit(), r::toString);
        JsonNode report = new ObjectMapper().readTree(dir.resolve(".slipway/release/1.0/report.json").toFile());
        assertEquals(System.getProperty("user.name") + " (git: Rita Manager <rita@example.org>)",
                report.at("/steps/publish~1release-manager/approval/by").asText());
    }

    @Test
    void rejectEndsTheReleaseWithExitFour() throws Exception {
        var r = run("--approve", "migrations", "--reject", "release-manager");
        assertEquals(4, r.exit(), r::toString);
        assertEquals(0, lines(dir.resolve("upload.count")));
    }

    @Test
    void anApproveForAnUnknownGateIsAUsageError() throws Exception {
        var r = run("--approve", "release-managr");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("migrations, release-manager"), r::toString);
    }

    @Test
    void aSecretPrintedByASubprocessReachesNoFile() throws Exception {
        var r = run("--approve", "migrations", "--approve", "release-manager");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("uploading with ***"), r::toString);
        assertFalse(r.out().contains("s3cr3t-token-value"));
        try (Stream<Path> files = Files.walk(dir.resolve(".slipway"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("s3cr3t-token-value"), "secret in " + f);
            }
        }
    }

    /** As GitHub Actions runs it: CI and GITHUB_ACTIONS set, no --non-interactive. */
    @Test
    void underGithubActionsStepsAreGroupedSecretsRegisteredAndTheSummarySaysWhatToDoNext() throws Exception {
        Path summary = dir.resolve("summary.md");
        Map<String, String> github = Map.of("UPLOAD_TOKEN", "s3cr3t-token-value", "CI", "true", "GITHUB_ACTIONS", "true",
                "GITHUB_STEP_SUMMARY", summary.toString());
        var r = Runner.run(dir, github, "release.kts", "--version", "1.0");
        assertEquals(3, r.exit(), r::toString);
        assertTrue(r.out().contains("::group::prepare/migrations"), r::toString);
        assertTrue(r.out().contains("::add-mask::s3cr3t-token-value"), r::toString);
        String first = Files.readString(summary);
        assertTrue(first.contains("| prepare/migrations | waiting |"), first);
        assertTrue(first.contains("- `prepare/migrations` waiting: waiting for confirmation \"migrations\""), first);
        assertTrue(first.contains("\n    runner release.kts --version 1.0 --approve migrations\n"), first);
        assertTrue(first.contains("run it again with the input `approve: migrations`"), first);
        assertTrue(first.indexOf("## What next") < first.indexOf("| step | status |"), "what next comes first: " + first);

        Files.delete(summary);
        r = Runner.run(dir, github, "release.kts", "--version", "1.0", "--approve", "migrations");
        assertEquals(3, r.exit(), r::toString);
        String second = Files.readString(summary);
        assertTrue(second.contains("- `publish/release-manager` waiting: waiting for approval \"release-manager\":"
                + " missing credentials for pypi\n  - hint: provide credentials for pypi"), second);
        assertTrue(second.contains("\n    runner release.kts --version 1.0 --approve migrations\n"), "the same command: " + second);
        assertTrue(second.contains("\n    runner release.kts --version 1.0 --approve migrations --approve release-manager\n"), second);
        assertFalse(second.contains("s3cr3t-token-value"));
        assertEquals(0, lines(dir.resolve("upload.count")));
    }
}
