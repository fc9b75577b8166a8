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
import java.util.Set;
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
        assertEquals("__token__", found.username());
        assertEquals("pypi-abc", found.password());
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
        assertEquals("alice", found.username());
        assertEquals(Optional.of(Credentials.TESTPYPI_UPLOAD), found.repositoryUrl());
    }

    @Test
    void aTwinePasswordWithoutUsernameIsAToken() {
        Credentials.Found found = Credentials.of(env("TWINE_PASSWORD", "pypi-xyz")).find("pypi").orElseThrow();
        assertEquals("TWINE_PASSWORD", found.source());
        assertEquals("__token__", found.username());
    }

    @Test
    void readsPypiTestpypiAndCustomSectionsOfThePypirc() throws Exception {
        pypirc(PYPIRC);
        Credentials credentials = Credentials.of(env());
        assertEquals("~/.pypirc [pypi]", credentials.find("pypi").orElseThrow().source());
        assertEquals("pypi-test-from-file", credentials.find("testpypi").orElseThrow().password());
        Credentials.Found custom = credentials.find("private").orElseThrow();
        assertEquals("ci-bot", custom.username());
        assertEquals("hunter2:with=separators", custom.password());
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
        assertEquals("pypi-only", credentials.find("pypi").orElseThrow().password());
        assertEquals(Optional.empty(), credentials.find("private"));
    }

    @Test
    void anExplicitConfigFileReplacesThePypirc() throws Exception {
        pypirc(PYPIRC);
        Path other = Files.writeString(home.resolve("release.pypirc"), "[pypi]\nusername = bob\npassword = other\n");
        Credentials.Found found = Credentials.of(env()).withConfigFile(other).find("pypi").orElseThrow();
        assertEquals(other + " [pypi]", found.source());
        assertEquals("bob", found.username());
    }

    @Test
    void theTargetTokenComesFirstThenTwineVariablesThenTheFile() throws Exception {
        pypirc(PYPIRC);
        assertEquals("PYPI_TOKEN", Credentials.of(env("PYPI_TOKEN", "t", "TWINE_PASSWORD", "p"))
                .find("pypi").orElseThrow().source());
        assertEquals("TWINE_PASSWORD", Credentials.of(env("TWINE_PASSWORD", "p")).find("pypi").orElseThrow().source());
    }

    @Test
    void githubsOidcVariablesAloneAreNoCredentialsAndTheHintSaysTrustedPublishingIsNotSupportedYet() {
        Credentials oidc = Credentials.of(env("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "jwt-value"));
        assertEquals(Optional.empty(), oidc.find("pypi"));
        assertEquals("trusted publishing (GitHub Actions OIDC) is not supported yet, so set PYPI_TOKEN to an API token,"
                + " or TWINE_USERNAME and TWINE_PASSWORD, or add username and password to the [pypi] section of ~/.pypirc",
                oidc.hint("pypi"));
    }

    @Test
    void credentialsWrittenIntoATargetUrlComeFirstAndTheUrlIsKeptWithoutThem() {
        Credentials credentials = Credentials.of(env("TWINE_PASSWORD", "twine-pw"));
        Credentials.Found found = credentials.find("https://ci-bot:p%40ss+word@packages.example.com/upload/").orElseThrow();
        assertEquals("the URL's user info", found.source());
        assertEquals("ci-bot", found.username());
        assertEquals("p@ss+word", found.password());
        assertEquals("https://packages.example.com/upload/", found.target());
        assertEquals(Optional.of(URI.create("https://packages.example.com/upload/")), found.repositoryUrl());
        assertEquals("credentials for https://packages.example.com/upload/ from the URL's user info", found.toString());
    }

    @Test
    void aUserNameAloneInATargetUrlIsNoPasswordSoTheOtherSourcesAreAsked() {
        Credentials.Found found = Credentials.of(env("TWINE_PASSWORD", "twine-pw"))
                .find("https://ci-bot@packages.example.com/upload/").orElseThrow();
        assertEquals("TWINE_PASSWORD", found.source());
        assertEquals("https://packages.example.com/upload/", found.target());
    }

    @Test
    void secretsListsEveryCredentialValueOfEverySourceWhicheverTargetWouldUseIt() throws Exception {
        pypirc(PYPIRC + "\n[mirror]\nrepository = https://u:from-repository-url@mirror.example/\n");
        assertEquals(Set.of("twine-pw", "pypi-token", "pypi-from-file", "pypi-test-from-file", "hunter2:with=separators",
                        "ignored", "from-repository-url"),
                Set.copyOf(Credentials.of(env("TWINE_USERNAME", "alice", "TWINE_PASSWORD", "twine-pw", "PYPI_TOKEN", "pypi-token"))
                        .secrets()));
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
        String hint = Credentials.of(env()).hint("my-index");
        assertTrue(hint.startsWith("set MY_INDEX_TOKEN to an API token, or TWINE_USERNAME and TWINE_PASSWORD"), hint);
        assertEquals("set TWINE_USERNAME and TWINE_PASSWORD for https://packages.example.com/upload/",
                Credentials.of(env()).hint("https://ci:s3cret@packages.example.com/upload/"));
    }

    @Test
    void theFoundCredentialsNeverShowTheirValues() {
        Credentials.Found found = Credentials.of(env("TWINE_USERNAME", "alice", "TWINE_PASSWORD", "s3cret"))
                .find("pypi").orElseThrow();
        assertEquals("credentials for pypi from TWINE_USERNAME/TWINE_PASSWORD", found.toString());
        assertFalse(found.source().contains("s3cret"));
    }
}
