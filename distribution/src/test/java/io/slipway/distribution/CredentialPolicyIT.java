package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval's credential policy approves only what twine-upload could upload with: GitHub's OIDC
 * variables count as trusted publishing where the index has an OIDC base (PyPI, TestPyPI, {@code <TARGET>_OIDC_URL}).
 */
@Tag("process")
class CredentialPolicyIT {

    @TempDir
    Path dir;

    /**
     * An approval naming one target, then a log line; HOME is empty, so no ~/.pypirc of this machine counts.
     * The target is a parameter, so every run evaluates one script text, compiled once.
     */
    private Runner.Result run(String target, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("publish") {
                        approval("release-manager") { credentials(param("target", "")) }
                        log("upload", "uploading now")
                    }
                }
                """);
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("HOME", home.toString());
        all.put("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/?api-version=2.0");
        all.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "oidc-request-token");
        return Runner.run(dir, all, List.of("release.kts", "--version", "1.0.0", "--non-interactive", "--set", "target=" + target));
    }

    @Test
    void githubsOidcVariablesApproveAnUploadToPypiByTrustedPublishing() throws Exception {
        Runner.Result run = run("pypi", Map.of());

        assertEquals(0, run.exit(), run.summary());
        assertTrue(run.has("approved by credential policy: pypi from trusted publishing (GitHub Actions OIDC)"), run.summary());
        assertTrue(run.has("uploading now"), run.summary());
        assertFalse(run.output().contains("oidc-request-token"), "the request token is masked");
    }

    @Test
    void githubsOidcVariablesAloneDoNotApproveAnIndexWithoutAnOidcBaseAndTheWaitSaysHowToGiveIt() throws Exception {
        Runner.Result run = run("my-index", Map.of());

        assertEquals(3, run.exit(), run.summary());
        assertTrue(run.has("waiting for approval \"release-manager\": missing credentials for my-index"), run.summary());
        assertTrue(run.has("hint: trusted publishing (GitHub Actions OIDC) needs the OIDC base URL of my-index's index:"
                + " set MY_INDEX_OIDC_URL"), run.summary());
        assertFalse(run.has("uploading now"), run.summary());

        Runner.Result withBase = run("my-index", Map.of("MY_INDEX_OIDC_URL", "https://packages.example.com"));
        assertEquals(0, withBase.exit(), withBase.summary());
        assertTrue(withBase.has("approved by credential policy: my-index from trusted publishing (GitHub Actions OIDC)"),
                withBase.summary());
    }
}
