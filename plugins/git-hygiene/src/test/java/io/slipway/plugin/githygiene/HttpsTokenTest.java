package io.slipway.plugin.githygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTPS token reaches the remote as Basic credentials and nowhere else. The remote is a
 * loopback HTTP server that refuses every request, like a host that does not accept the token.
 */
class HttpsTokenTest {

    static final String TOKEN = "ghp_example0123456789abcdef";

    @RegisterExtension
    final GitFixture fx = new GitFixture();
    HttpServer server;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void refusingServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        StoredConfig config = fx.git.getRepository().getConfig();
        config.setString("remote", "origin", "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/demo.git");
        config.save();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theTokenIsSentAsBasicCredentialsAndNeverLoggedOrJournaled() throws Exception {
        StepHarness h = StepHarness.of(new Preflight()).workspace(fx.work).stateDir(fx.path("state"))
                .env("RELEASE_TOKEN", TOKEN).input("token-env", "RELEASE_TOKEN");
        StepHarness.Run run;
        try (h) {
            run = h.run();
        }

        assertEquals(Status.FAILED, run.result().status());
        String expected = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertTrue(authorizations.contains(expected), authorizations.toString());
        assertTrue(run.result().hint().contains("token-env"), run.result().hint());
        assertFalse(h.consoleText().contains(TOKEN));
        assertFalse(Files.readString(h.journalFile()).contains(TOKEN));
        assertFalse(run.result().message().contains(TOKEN));
    }
}
