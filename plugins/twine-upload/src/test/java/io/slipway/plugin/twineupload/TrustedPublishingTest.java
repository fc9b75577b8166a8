package io.slipway.plugin.twineupload;

import static io.slipway.plugin.twineupload.FakeTrustedPublishing.ID_TOKEN;
import static io.slipway.plugin.twineupload.FakeTrustedPublishing.MINTED;
import static io.slipway.plugin.twineupload.FakeTrustedPublishing.REQUEST_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.localindex.LocalIndex;
import io.slipway.plugin.localindex.RealPython;
import io.slipway.python.IndexClient;
import io.slipway.python.Sha256;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusted publishing against {@link FakeTrustedPublishing}, a loopback server playing GitHub Actions'
 * token endpoint and the index's OIDC endpoints. The refusals fail before twine would run, so those
 * tests upload stand-in files; the end-to-end upload (tagged {@code process}) is real twine to the
 * real local index, which accepts only the minted token as the password of {@code __token__}.
 */
class TrustedPublishingTest {

    @TempDir
    Path tmp;
    FakeTrustedPublishing oidc;

    @BeforeEach
    void start() throws IOException {
        oidc = new FakeTrustedPublishing();
    }

    @AfterEach
    void stop() {
        oidc.close();
    }

    /** Two stand-in files: nothing reads them before the exchange. */
    private List<Path> standIns() throws IOException {
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        return List.of(Files.writeString(dist.resolve("acme_core-1.2.0.tar.gz"), "sdist"),
                Files.writeString(dist.resolve("acme_core-1.2.0-py3-none-any.whl"), "wheel"));
    }

    /**
     * The upload step inside a GitHub Actions job that may request an ID token, with no other
     * credentials anywhere: a HOME without ~/.pypirc and none of this machine's TWINE_*, PIP_*,
     * GitHub or *_TOKEN variables.
     */
    private StepHarness harness(String repository, List<Path> files) throws IOException {
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (Path f : files) {
            sha256.put(f.toString(), Sha256.of(f));
        }
        StepHarness h = StepHarness.of(new TwineUpload()).workspace(tmp).stateDir(tmp.resolve("state")).version("1.2.0");
        System.getenv().keySet().stream()
                .filter(k -> k.startsWith("TWINE_") || k.startsWith("PIP_") || k.startsWith("GITHUB_")
                        || k.startsWith("ACTIONS_") || k.endsWith("_TOKEN") || k.endsWith("_OIDC_URL"))
                .forEach(h::unsetEnv);
        return h.env("HOME", Files.createDirectories(tmp.resolve("home")).toString())
                .env("PIP_CONFIG_FILE", "/dev/null")
                .env("SLIPWAY_PYTHON", RealPython.PYTHON)
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_REPOSITORY", "acme/widgets")
                .env("GITHUB_WORKFLOW_REF", "acme/widgets/.github/workflows/release.yml@refs/tags/v1.2.0")
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", oidc.requestUrl())
                .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN)
                .input("files", files.stream().map(Path::toString).toList())
                .input("sha256", sha256)
                .input("repository", repository)
                .input("oidc-url", oidc.base());
    }

    /** A stand-in upload whose exchange fails: the index part is the fake server (its simple pages are 404). */
    private StepHarness failing() throws IOException {
        return harness(oidc.base() + "/legacy/", standIns()).input("index-url", oidc.base() + "/simple/");
    }

    /** Every file of the run's state (journal and all), as text. */
    private String state() {
        try (Stream<Path> files = Files.walk(tmp.resolve("state"))) {
            StringBuilder text = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(f)).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertNoSecretShown(StepHarness h, StepHarness.Run run) throws IOException {
        String shown = h.consoleText() + "\n" + run.result().message() + "\n" + run.result().hint() + "\n"
                + Files.readString(h.journalFile()) + "\n" + state();
        for (String secret : List.of(ID_TOKEN, MINTED, REQUEST_TOKEN)) {
            assertFalse(shown.contains(secret), () -> "a secret was shown:\n" + shown);
        }
    }

    @Test
    @Tag("process")
    void theMintedTokenUploadsForRealWithTwineAndNoTokenIsShownAnywhere() throws Exception {
        List<Path> files = RealPython.build(tmp.resolve("project"), "acme-core", "1.2.0", "oidc");
        try (LocalIndex index = LocalIndex.start(tmp.resolve("index"), "__token__", MINTED)) {
            // The index takes the minted token and nothing else.
            assertNotEquals(0, RealPython.upload(index.uploadUrl(), "__token__", "pypi-some-other-token", files).exitCode());
            assertEquals(Map.of(), held(index));

            try (StepHarness h = harness(index.uploadUrl(), files)) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), h::consoleText);
                assertEquals(sha256(files), held(index));
                assertEquals(List.of(), oidc.problems());
                // One token for both files: minted right before the first upload, still valid for the second.
                assertEquals(1, oidc.calls("audience"));
                assertEquals(1, oidc.calls("token"));
                assertEquals(1, oidc.calls("mint"));
                assertTrue(h.consoleText().contains("trusted publishing: " + oidc.base()
                        + " minted a short-lived upload token for " + index.uploadUrl()), h::consoleText);
                assertNoSecretShown(h, run);
            }
        }
    }

    @Test
    void anIndexWithoutThisRepositoryAsTrustedPublisherIsQuotedAndTheHintSaysWhatToAdd() throws Exception {
        oidc.mint(FakeTrustedPublishing.Mint.INVALID_PUBLISHER);
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertEquals(oidc.base() + " refused to exchange the GitHub ID token for an upload token (HTTP 422): Token request"
                    + " failed — invalid-publisher: valid token, but no corresponding publisher (All lookup strategies exhausted)",
                    run.result().message());
            assertEquals("add this repository (acme/widgets) and workflow (release.yml) as a trusted publisher on " + oidc.base()
                    + " (Your projects → Publishing; a new project: a pending publisher under Publishing in your account)",
                    run.result().hint());
            assertEquals(List.of(), oidc.problems());
            assertFalse(run.facts().values().stream().anyMatch(v -> v.startsWith("done")), run.facts()::toString);
            assertNoSecretShown(h, run);
        }
    }

    @Test
    void anExpiredIdTokenIsQuotedAndTheHintSaysToRerunTheJob() throws Exception {
        oidc.mint(FakeTrustedPublishing.Mint.EXPIRED_TOKEN);
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertTrue(run.result().message().endsWith("(HTTP 422): Token request failed — invalid-token: malformed or invalid"
                    + " token: Signature has expired"), run.result().message());
            assertEquals(oidc.base() + " refused the ID token (it may have expired, or the job's claims do not match);"
                    + " re-run the job to get a fresh one", run.result().hint());
            assertNoSecretShown(h, run);
        }
    }

    @Test
    void anIndexWithTrustedPublishingTurnedOffIsQuotedAndTheHintNamesTheTokenWay() throws Exception {
        oidc.mint(FakeTrustedPublishing.Mint.NOT_ENABLED);
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertTrue(run.result().message().endsWith("not-enabled: Trusted publishing functionality not enabled"),
                    run.result().message());
            assertTrue(run.result().hint().startsWith("trusted publishing is turned off on " + oidc.base()
                    + "; upload with an API token"), run.result().hint());
            assertNoSecretShown(h, run);
        }
    }

    @Test
    void anAnswerThatIsNotPypisJsonIsQuotedAsItIs() throws Exception {
        oidc.mint(FakeTrustedPublishing.Mint.NOT_JSON);
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertEquals(oidc.base() + " refused to exchange the GitHub ID token for an upload token (HTTP 500):"
                    + " <html>Internal Server Error</html>", run.result().message());
            assertNoSecretShown(h, run);
        }
    }

    @Test
    void anIndexWithoutTheAudienceEndpointDoesNotSupportTrustedPublishing() throws Exception {
        oidc.withoutAudience();
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertEquals(oidc.base() + " does not support trusted publishing: GET " + oidc.base()
                    + "/_/oidc/audience answered HTTP 404", run.result().message());
            assertTrue(run.result().hint().startsWith("check the index's OIDC base URL (the oidc-url input)"), run.result().hint());
            assertEquals(0, oidc.calls("token"), "no ID token is requested for an index without trusted publishing");
        }
    }

    @Test
    void anIdTokenRequestGitHubRefusesAsksForTheIdTokenPermission() throws Exception {
        oidc.actionsStatus(403);
        try (StepHarness h = failing()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertTrue(run.result().message().startsWith("GitHub Actions did not give an ID token for audience \"fake/index\":"
                    + " HTTP 403"), run.result().message());
            assertTrue(run.result().hint().startsWith("give the job `permissions: id-token: write`"), run.result().hint());
            assertEquals(0, oidc.calls("mint"));
            assertEquals(List.of(), oidc.problems());
            assertNoSecretShown(h, run);
        }
    }

    @Test
    void aGitHubActionsJobWithoutTheRequestVariablesIsToldToAskForTheIdTokenPermission() throws Exception {
        try (StepHarness h = failing().unsetEnv("ACTIONS_ID_TOKEN_REQUEST_URL").unsetEnv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status(), h::consoleText);
            assertEquals("no credentials for \"" + oidc.base() + "/legacy/\", and this GitHub Actions job may not request an ID"
                    + " token for trusted publishing (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)",
                    run.result().message());
            assertTrue(run.result().hint().startsWith("give the job `permissions: id-token: write` (GitHub sets them only then);"
                    + " or set TWINE_USERNAME and TWINE_PASSWORD"), run.result().hint());
            assertEquals(0, oidc.calls("audience"));
        }
    }

    @Test
    @Tag("process")
    void aTokenGivenForTheTargetIsUsedInsteadOfTrustedPublishing() throws Exception {
        // The token goes to twine, which cannot reach the fake's upload address (404): no exchange happens.
        try (StepHarness h = failing().input("password", "pypi-configured")) {
            h.run();
            assertEquals(0, oidc.calls("audience"));
            assertEquals(0, oidc.calls("mint"));
        }
    }

    /** What the index serves for acme-core: file name → sha256, as its simple page lists them. */
    private static Map<String, String> held(LocalIndex index) throws Exception {
        Map<String, String> held = new TreeMap<>();
        IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core")
                .ifPresent(files -> files.files().forEach(f -> held.put(f.fileName(), f.sha256().orElse("?"))));
        return held;
    }

    private static Map<String, String> sha256(List<Path> files) throws IOException {
        Map<String, String> sha256 = new TreeMap<>();
        for (Path f : files) {
            sha256.put(f.getFileName().toString(), Sha256.of(f));
        }
        return sha256;
    }
}
