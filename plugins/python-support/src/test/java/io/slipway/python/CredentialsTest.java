package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    private static final String[] OIDC = {"ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"};

    private Map<String, String> oidcEnv(String... more) {
        Map<String, String> env = env(OIDC);
        env.putAll(env(more));
        return env;
    }

    @Test
    void githubsOidcVariablesAreTrustedPublishingForPypiAndTestpypiWithTheirOidcBase() {
        Credentials oidc = Credentials.of(oidcEnv());
        Credentials.Found pypi = oidc.find("pypi").orElseThrow();
        assertEquals("trusted publishing (GitHub Actions OIDC)", pypi.source());
        assertEquals("__token__", pypi.username());
        assertEquals(Optional.of(URI.create("https://pypi.org")), pypi.trustedPublishing());
        assertEquals(Optional.of(URI.create("https://test.pypi.org")), oidc.find("testpypi").orElseThrow().trustedPublishing());
        // By upload URL too.
        assertEquals(Optional.of(URI.create("https://test.pypi.org")),
                oidc.find("https://test.pypi.org/legacy/").orElseThrow().trustedPublishing());
        assertThrows(IllegalStateException.class, pypi::password);
        assertEquals(Optional.of(new Credentials.IdTokenRequest("https://token.actions.example/?api-version=2.0", "request-token")),
                oidc.idTokenRequest());
        assertFalse(oidc.idTokenRequest().orElseThrow().toString().contains("request-token"));
    }

    @Test
    void aTokenOrPasswordForTheTargetComesBeforeTrustedPublishing() throws Exception {
        assertEquals("PYPI_TOKEN", Credentials.of(oidcEnv("PYPI_TOKEN", "t")).find("pypi").orElseThrow().source());
        assertEquals("TWINE_PASSWORD", Credentials.of(oidcEnv("TWINE_PASSWORD", "p")).find("pypi").orElseThrow().source());
        pypirc(PYPIRC);
        assertEquals("~/.pypirc [pypi]", Credentials.of(oidcEnv()).find("pypi").orElseThrow().source());
    }

    @Test
    void oneOfTheTwoOidcVariablesIsNoCredentialSource() {
        assertEquals(Optional.empty(), Credentials.of(env("ACTIONS_ID_TOKEN_REQUEST_URL", "https://t.example/")).find("pypi"));
        assertEquals(Optional.empty(), Credentials.of(env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "x")).find("pypi"));
    }

    @Test
    void anotherIndexIsTrustedPublishingOnlyWithItsOidcBaseAndTheHintSaysHowToGiveIt() throws Exception {
        pypirc("[distutils]\nindex-servers = private\n[private]\nrepository = https://packages.example.com/upload/\n");
        Credentials without = Credentials.of(oidcEnv());
        assertEquals(Optional.empty(), without.find("private"));
        assertEquals("trusted publishing (GitHub Actions OIDC) needs the OIDC base URL of private's index: set"
                + " PRIVATE_OIDC_URL to the address that serves /_/oidc/audience (e.g. https://pypi.example.org); or set"
                + " PRIVATE_TOKEN to an API token, or TWINE_USERNAME and TWINE_PASSWORD, or add username and password to"
                + " the [private] section of ~/.pypirc", without.hint("private"));
        assertTrue(without.hint("https://packages.example.com/upload/").startsWith(
                "trusted publishing (GitHub Actions OIDC) needs the index's OIDC base URL, which only a named target can give"),
                without.hint("https://packages.example.com/upload/"));

        Credentials with = Credentials.of(oidcEnv("PRIVATE_OIDC_URL", "https://packages.example.com"));
        assertEquals(Optional.of(URI.create("https://packages.example.com")), with.find("private").orElseThrow().trustedPublishing());
        // Not a URL: no base.
        assertEquals(Optional.empty(), Credentials.of(oidcEnv("PRIVATE_OIDC_URL", "packages.example.com")).oidcBase("private"));
        assertEquals("PRIVATE_OIDC_URL", Credentials.oidcVariable("private"));
    }

    @Test
    void aGithubActionsJobWithoutTheOidcVariablesIsToldToAskForTheIdTokenPermission() {
        Credentials job = Credentials.of(env("GITHUB_ACTIONS", "true"));
        assertEquals(Optional.empty(), job.find("pypi"));
        assertEquals("for trusted publishing (GitHub Actions OIDC) give the job `permissions: id-token: write`; or set PYPI_TOKEN"
                + " to an API token, or TWINE_USERNAME and TWINE_PASSWORD, or add username and password to the [pypi] section"
                + " of ~/.pypirc", job.hint("pypi"));
        // An index without trusted publishing: nothing about it.
        assertTrue(job.hint("my-index").startsWith("set MY_INDEX_TOKEN"), job.hint("my-index"));
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
