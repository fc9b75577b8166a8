package io.slipway.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UrlCredentialsTest {

    @Test
    void everyUrlInATextLosesItsUserInfoAndNothingElse() {
        assertEquals("uploading to https://upload.example/legacy/ and http://127.0.0.1:8080/simple/?q=a@b, see https://x.example/a@b",
                UrlCredentials.strip("uploading to https://__token__:pypi-AgE@upload.example/legacy/ and"
                        + " http://ci:p%40ss@127.0.0.1:8080/simple/?q=a@b, see https://x.example/a@b"));
        assertEquals("git+https://github.com/acme/core.git", UrlCredentials.strip("git+https://ghp_abc123@github.com/acme/core.git"));
    }

    @Test
    void aRawAtSignInThePasswordIsPartOfTheUserInfo() {
        assertEquals("https://host.example/simple/", UrlCredentials.strip("https://user:p@ss@host.example/simple/"));
        assertEquals(List.of(new UrlCredentials("user", Optional.of("p@ss"))), UrlCredentials.in("https://user:p@ss@host.example/"));
    }

    @Test
    void theUserInfoEndsAtQuotesSoCompactJsonIsNotReadAsOneUrl() {
        String json = "{\"url\":\"http://host.example\",\"mail\":\"a@b.example\"}";
        assertEquals(json, UrlCredentials.strip(json));
        assertEquals(List.of(), UrlCredentials.in(json));
    }

    @Test
    void credentialsArePercentDecodedAndAPlusStaysAPlus() {
        assertEquals(List.of(new UrlCredentials("ci bot", Optional.of("p@ss+w:rd")),
                        new UrlCredentials("ghp_abc123", Optional.empty())),
                UrlCredentials.in("https://ci%20bot:p%40ss+w:rd@a.example/ and https://ghp_abc123@b.example/"));
    }

    @Test
    void theSecretIsThePasswordOrALoneUserNameAndToStringShowsNeither() {
        UrlCredentials withPassword = new UrlCredentials("__token__", Optional.of("pypi-AgE"));
        UrlCredentials tokenAsUser = new UrlCredentials("ghp_abc123", Optional.empty());
        assertEquals("pypi-AgE", withPassword.secret());
        assertEquals("ghp_abc123", tokenAsUser.secret());
        assertEquals("credentials of user __token__", withPassword.toString());
        assertEquals("credentials of user ***", tokenAsUser.toString());
    }
}
