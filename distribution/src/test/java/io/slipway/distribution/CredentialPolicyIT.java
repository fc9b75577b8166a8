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

/** The approval's credential policy approves only what twine-upload could upload with. */
@Tag("process")
class CredentialPolicyIT {

    @TempDir
    Path dir;

    @Test
    void githubsOidcVariablesAloneDoNotApproveAnUploadAndTheWaitSaysTrustedPublishingIsNotSupportedYet() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("publish") {
                        approval("release-manager") { credentials("pypi") }
                        log("upload", "uploading now")
                    }
                }
                """);
        // An empty home: no ~/.pypirc of this machine can satisfy the policy.
        Path home = Files.createDirectories(dir.resolve("home"));
        Runner.Result run = Runner.run(dir, Map.of("HOME", home.toString(),
                        "ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/?api-version=2.0",
                        "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "oidc-request-token"),
                List.of("release.kts", "--version", "1.0.0", "--non-interactive"));

        assertEquals(3, run.exit(), run.summary());
        assertTrue(run.has("waiting for approval \"release-manager\": missing credentials for pypi"), run.summary());
        assertTrue(run.has("hint: trusted publishing (GitHub Actions OIDC) is not supported yet, so set PYPI_TOKEN to an API token"),
                run.summary());
        assertFalse(run.has("uploading now"), run.summary());
    }
}
