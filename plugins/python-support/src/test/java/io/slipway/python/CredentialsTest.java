package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path home;

    private static final String PYPIRC = """
            [distutils]
            index-servers =
                pypi
                testpypi
                private

            # tokens, as PyPI recommends
            [pypi]
            username = __token__
            password = pypi-from-file

            [testpypi]
            repository: https://test.pypi.org/legacy/
            username = __token__
            password = pypi-test-from-file

            [private]
            repository = https://packages.example.com/upload/
            username = ci-bot
            password = hunter2:with=separators

            [unlisted]
            username = someone
            password = ignored
            """;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private void pypirc(String text) throws Exception {
        Files.writeString(home.resolve(".pypirc"), text);
    }

    @Test
    void aTargetTokenVariableIsSentAsTokenUser() {
        Credentials.Found found = Credentials.of(env("PYPI_TOKEN", "pypi-abc")).find("pypi").orElseThrow();
        assertEquals("PYPI_TOKEN", found.source());
        assertEquals(Optional.of("__token__"), found.username());
        assertEquals(Optional.of("pypi-abc"), found.password());
        assertEquals(Optional.of(Credentials.PYPI_UPLOAD), found.repositoryUrl());
    }

    @Test
    void aTokenForOneTargetIsNotUsedForAnother() {
        assertEquals(Optional.empty(), Credentials.of(env("PYPI_TOKEN", "pypi-abc")).find("testpypi"));
    }

    @Test
    void twineVariablesServeAnyTarget() {
        Credentials.Found found = Credentials.of(env("TWINE_USERNAME", "alice", "TWINE_PASSWORD", "pw"))
                .find("testpypi").orElseThrow();
        assertEquals("TWINE_USERNAME/TWINE_PASSWORD", found.source());
        assertEquals(Optional.of("alice"), found.username());
        assertEquals(Optional.of(Credentials.TESTPYPI_UPLOAD), found.repositoryUrl());
    }

    @Test
    void aTwinePasswordWithoutUsernameIsAToken() {
        Credentials.Found found = Credentials.of(env("TWINE_PASSWORD", "pypi-xyz")).find("pypi").orElseThrow();
        assertEquals("TWINE_PASSWORD", found.source());
        assertEquals(Optional.of("__token__"), found.username());
    }

    @Test
    void readsPypiTestpypiAndCustomSectionsOfThePypirc() throws Exception {
        pypirc(PYPIRC);
        Credentials credentials = Credentials.of(env());
        assertEquals("~/.pypirc [pypi]", credentials.find("pypi").orElseThrow().source());
        assertEquals(Optional.of("pypi-test-from-file"), credentials.find("testpypi").orElseThrow().password());
        Credentials.Found custom = credentials.find("private").orElseThrow();
        assertEquals(Optional.of("ci-bot"), custom.username());
        assertEquals(Optional.of("hunter2:with=separators"), custom.password());
        assertEquals(Optional.of(URI.create("https://packages.example.com/upload/")), custom.repositoryUrl());
    }

    @Test
    void sectionsMissingFromIndexServersAreIgnoredLikeTwineDoes() throws Exception {
        pypirc(PYPIRC);
        assertEquals(Optional.empty(), Credentials.of(env()).find("unlisted"));
    }

    @Test
    void withoutIndexServersOnlyPypiAndTestpypiAreRead() throws Exception {
        pypirc("[pypi]\npassword = pypi-only\n[private]\nusername = u\npassword = p\n");
        Credentials credentials = Credentials.of(env());
        assertEquals(Optional.of("pypi-only"), credentials.find("pypi").orElseThrow().password());
        assertEquals(Optional.empty(), credentials.find("private"));
    }

    @Test
    void anExplicitConfigFileReplacesThePypirc() throws Exception {
        pypirc(PYPIRC);
        Path other = Files.writeString(home.resolve("release.pypirc"), "[pypi]\nusername = bob\npassword = other\n");
        Credentials.Found found = Credentials.of(env()).withConfigFile(other).find("pypi").orElseThrow();
        assertEquals(other + " [pypi]", found.source());
        assertEquals(Optional.of("bob"), found.username());
    }

    @Test
    void theTargetTokenComesFirstThenTwineVariablesThenTheFile() throws Exception {
        pypirc(PYPIRC);
        assertEquals("PYPI_TOKEN", Credentials.of(env("PYPI_TOKEN", "t", "TWINE_PASSWORD", "p"))
                .find("pypi").orElseThrow().source());
        assertEquals("TWINE_PASSWORD", Credentials.of(env("TWINE_PASSWORD", "p")).find("pypi").orElseThrow().source());
    }

    @Test
    void trustedPublishingCountsForPypiOnlyInsideAnOidcJob() {
        Credentials oidc = Credentials.of(env("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "jwt"));
        Credentials.Found found = oidc.find("pypi").orElseThrow();
        assertTrue(found.isTrustedPublishing());
        assertEquals(Optional.empty(), found.password());
        assertEquals(Optional.empty(), oidc.find("https://packages.example.com/upload/"));
    }

    @Test
    void withoutATargetTwinesRepositoryVariablesChooseIt() {
        assertEquals("pypi", Credentials.of(env()).defaultTarget());
        assertEquals("testpypi", Credentials.of(env("TWINE_REPOSITORY", "testpypi")).defaultTarget());
        Credentials byUrl = Credentials.of(env("TWINE_REPOSITORY", "testpypi",
                "TWINE_REPOSITORY_URL", "http://127.0.0.1:8080/simple/", "TWINE_PASSWORD", "p"));
        Credentials.Found found = byUrl.find(null).orElseThrow();
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8080/simple/")), found.repositoryUrl());
    }

    @Test
    void nothingFoundIsEmptyAndTheHintNamesTheWays() {
        assertEquals(Optional.empty(), Credentials.of(env()).find("pypi"));
        String hint = Credentials.hint("my-index");
        assertTrue(hint.startsWith("set MY_INDEX_TOKEN to an API token, or TWINE_USERNAME and TWINE_PASSWORD"), hint);
        assertTrue(Credentials.hint("pypi").contains("trusted publishing"));
    }

    @Test
    void theFoundCredentialsNeverShowTheirValues() {
        Credentials.Found found = Credentials.of(env("TWINE_USERNAME", "alice", "TWINE_PASSWORD", "s3cret"))
                .find("pypi").orElseThrow();
        assertEquals("credentials for pypi from TWINE_USERNAME/TWINE_PASSWORD", found.toString());
        assertFalse(found.source().contains("s3cret"));
    }
}
