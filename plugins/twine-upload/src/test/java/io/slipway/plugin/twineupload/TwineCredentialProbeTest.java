package io.slipway.plugin.twineupload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwineCredentialProbeTest {

    @TempDir
    Path home;

    @Test
    void aTargetsTokenVariableIsNamedAsTheSourceWithoutItsValue() {
        assertEquals(Optional.of("PYPI_TOKEN"), new TwineCredentialProbe()
                .findSource("pypi", Map.of("HOME", home.toString(), "PYPI_TOKEN", "pypi-secret")));
    }

    @Test
    void githubsOidcVariablesAreTrustedPublishingForPypiAndTestpypi() {
        Map<String, String> oidc = Map.of("HOME", home.toString(), "ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.example/",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token");
        TwineCredentialProbe probe = new TwineCredentialProbe();

        assertEquals(Optional.of("trusted publishing (GitHub Actions OIDC)"), probe.findSource("pypi", oidc));
        assertEquals(Optional.of("trusted publishing (GitHub Actions OIDC)"), probe.findSource("testpypi", oidc));
        assertTrue(probe.secrets(oidc).contains("request-token"), "the request token is masked");
    }

    @Test
    void githubsOidcVariablesAloneDoNotSatisfyThePolicyForAnIndexWithoutAnOidcBaseAndTheHintSaysHowToGiveIt() {
        Map<String, String> oidc = Map.of("HOME", home.toString(), "ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.example/",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token");
        TwineCredentialProbe probe = new TwineCredentialProbe();

        assertEquals(Optional.empty(), probe.findSource("my-index", oidc));
        assertTrue(probe.hint("my-index", oidc).orElseThrow().startsWith("trusted publishing (GitHub Actions OIDC) needs the OIDC"
                + " base URL of my-index's index: set MY_INDEX_OIDC_URL"), probe.hint("my-index", oidc)::toString);

        Map<String, String> withBase = new java.util.HashMap<>(oidc);
        withBase.put("MY_INDEX_OIDC_URL", "https://packages.example.com");
        assertEquals(Optional.of("trusted publishing (GitHub Actions OIDC)"), probe.findSource("my-index", withBase));
    }

    @Test
    void theSecretsToMaskIncludeThePasswordsOfThePypirc() throws Exception {
        Files.writeString(home.resolve(".pypirc"), "[pypi]\nusername = __token__\npassword = pypi-from-file\n");

        assertEquals(List.of("pypi-from-file"), new TwineCredentialProbe().secrets(Map.of("HOME", home.toString())));
    }

    @Test
    void noCredentialsAnywhereIsEmpty() {
        assertEquals(Optional.empty(), new TwineCredentialProbe().findSource("testpypi", Map.of("HOME", home.toString())));
    }
}
