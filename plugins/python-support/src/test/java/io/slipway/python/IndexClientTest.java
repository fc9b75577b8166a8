package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a JDK HttpServer that answers the way real indexes (and broken ones) do. */
class IndexClientTest {

    private static final String SHA_WHEEL = "a".repeat(64);
    private static final String SHA_SDIST = "b".repeat(64);

    private HttpServer server;
    private ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fixture-index");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        threads.shutdownNow();
    }

    private URI simple() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    private IndexClient.Builder client() {
        return IndexClient.builder(simple()).timeout(Duration.ofSeconds(5)).backoff(Duration.ofMillis(10));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    private void route(String path, Handler handler) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                exchange.close();
            }
        });
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static final String PEP691 = """
            {"meta": {"api-version": "1.0"}, "name": "acme-core", "files": [
              {"filename": "acme_core-0.4.0-py3-none-any.whl", "url": "../../files/acme_core-0.4.0-py3-none-any.whl",
               "hashes": {"sha256": "%s"}},
              {"filename": "acme_core-0.3.0.tar.gz", "url": "https://files.example/acme_core-0.3.0.tar.gz",
               "hashes": {"sha256": "%s"}, "yanked": "broken metadata"}
            ]}""".formatted(SHA_WHEEL, SHA_SDIST);

    private void pep691Project() {
        route("/simple/acme-core/", e -> {
            boolean wantsJson = e.getRequestHeaders().getFirst("Accept").contains("application/vnd.pypi.simple.v1+json");
            answer(e, 200, wantsJson ? "application/vnd.pypi.simple.v1+json" : "text/html", wantsJson ? PEP691 : "");
        });
    }

    @Test
    void readsFilesAndHashesFromPep691Json() throws Exception {
        pep691Project();
        ProjectFiles files = client().build().files("acme-core").orElseThrow();
        assertEquals(List.of("acme_core-0.4.0-py3-none-any.whl", "acme_core-0.3.0.tar.gz"),
                files.files().stream().map(IndexFile::fileName).toList());
        assertEquals(Optional.of(SHA_WHEEL), files.files().get(0).sha256());
        assertEquals(simple().resolve("/files/acme_core-0.4.0-py3-none-any.whl"), files.files().get(0).url());
        assertTrue(files.files().get(1).yanked());
    }

    @Test
    void asksForTheProjectByItsNormalisedName() throws Exception {
        pep691Project();
        assertTrue(client().build().files("Acme_Core").isPresent());
    }

    @Test
    void readsHashesFromPep503HtmlFragments() throws Exception {
        route("/simple/acme-core/", e -> answer(e, 200, "text/html", """
                <!DOCTYPE html><html><body>
                <a href="/packages/acme_core-0.4.0-py3-none-any.whl#sha256=%s" data-requires-python="&gt;=3.8">acme_core-0.4.0-py3-none-any.whl</a><br/>
                <a href='acme-core-0.4.0.tar.gz#sha256=%s' data-yanked="">acme-core-0.4.0.tar.gz</a>
                </body></html>""".formatted(SHA_WHEEL, SHA_SDIST)));
        ProjectFiles files = client().build().files("acme-core").orElseThrow();
        assertEquals(Optional.of(SHA_WHEEL), files.file("acme_core-0.4.0-py3-none-any.whl").orElseThrow().sha256());
        IndexFile sdist = files.file("acme-core-0.4.0.tar.gz").orElseThrow();
        assertEquals(Optional.of(SHA_SDIST), sdist.sha256());
        assertEquals(simple().resolve("acme-core/acme-core-0.4.0.tar.gz#sha256=" + SHA_SDIST), sdist.url());
        assertTrue(sdist.yanked());
    }

    @Test
    void takesMissingHashesFromTheJsonApi() throws Exception {
        route("/simple/acme-core/", e -> answer(e, 200, "text/html",
                "<a href=\"/f/acme_core-0.4.0.tar.gz\">acme_core-0.4.0.tar.gz</a>"));
        route("/pypi/acme-core/json", e -> answer(e, 200, "application/json", """
                {"info": {"name": "acme-core"}, "releases": {"0.4.0": [
                  {"filename": "acme_core-0.4.0.tar.gz", "digests": {"sha256": "%s"}}]}}""".formatted(SHA_SDIST)));
        ProjectFiles files = client().build().files("acme-core").orElseThrow();
        assertEquals(Optional.of(SHA_SDIST), files.files().get(0).sha256());
    }

    @Test
    void anUnknownProjectIsEmptyNotAnError() throws Exception {
        route("/simple/", e -> answer(e, 404, "text/html", "Not Found"));
        assertEquals(Optional.empty(), client().build().files("no-such-project"));
    }

    @Test
    void aProjectWithoutFilesIsPresentButEmpty() throws Exception {
        route("/simple/acme-core/", e -> answer(e, 200, "text/html", "<html><body></body></html>"));
        ProjectFiles files = client().build().files("acme-core").orElseThrow();
        assertTrue(files.files().isEmpty());
    }

    @Test
    void sendsBasicCredentials() throws Exception {
        route("/simple/acme-core/", e -> {
            boolean authorised = ("Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes()))
                    .equals(e.getRequestHeaders().getFirst("Authorization"));
            answer(e, authorised ? 200 : 401, "text/html", "");
        });
        assertTrue(client().credentials("alice", "s3cret").build().files("acme-core").isPresent());
    }

    @Test
    void a401FailsAtOnceNamingTheUrlAndStatus() {
        route("/simple/", e -> answer(e, 401, "text/plain", "Unauthorized"));
        IndexException e = assertThrows(IndexException.class, () -> client().build().files("acme-core"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("GET " + simple() + "acme-core/ answered HTTP 401"), e.getMessage());
        assertEquals(1, requests.get());
    }

    @Test
    void credentialsInTheUrlAreSentButNeverShown() {
        route("/simple/", e -> answer(e, 401, "text/plain", ""));
        URI withPassword = URI.create("http://alice:s3cret@127.0.0.1:" + server.getAddress().getPort() + "/simple/");
        IndexException e = assertThrows(IndexException.class,
                () -> IndexClient.builder(withPassword).build().files("acme-core"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(e.url().toString().contains("alice"), e.url().toString());
    }

    @Test
    void retriesABurstOf5xxAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        route("/simple/acme-core/", e -> answer(e, calls.incrementAndGet() <= 2 ? 503 : 200,
                "application/vnd.pypi.simple.v1+json", calls.get() <= 2 ? "" : PEP691));
        ProjectFiles files = client().attempts(3).build().files("acme-core").orElseThrow();
        assertEquals(2, files.files().size());
        assertEquals(3, requests.get());
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheStatus() {
        route("/simple/", e -> answer(e, 502, "text/plain", "Bad Gateway"));
        IndexException e = assertThrows(IndexException.class, () -> client().attempts(2).build().files("acme-core"));
        assertEquals(502, e.status());
        assertEquals("GET " + simple() + "acme-core/ answered HTTP 502 (2 attempts)", e.getMessage());
        assertEquals(2, requests.get());
    }

    @Test
    void aSlowIndexTimesOutAndIsRetried() {
        route("/simple/", e -> {
            Thread.sleep(3_000);
            answer(e, 200, "text/html", "");
        });
        IndexException e = assertThrows(IndexException.class,
                () -> client().timeout(Duration.ofMillis(200)).attempts(2).build().files("acme-core"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("GET " + simple() + "acme-core/ did not answer within 200 ms (2 attempts)"),
                e.getMessage());
        assertEquals(2, requests.get());
    }

    @Test
    void aRefusedConnectionNamesTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/simple/");
        IndexException e = assertThrows(IndexException.class, () -> IndexClient.builder(nowhere)
                .attempts(2).backoff(Duration.ofMillis(10)).build().files("acme-core"));
        assertTrue(e.getMessage().startsWith("GET " + nowhere + "acme-core/ failed: could not connect (connection refused)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(2 attempts)"), e.getMessage());
    }

    @Test
    void resolvesIndexNamesAndRefusesOtherWords() {
        assertEquals(IndexClient.PYPI, IndexClient.resolve("pypi"));
        assertEquals(IndexClient.TESTPYPI, IndexClient.resolve("TestPyPI"));
        assertEquals(URI.create("http://127.0.0.1:8080/simple/"), IndexClient.resolve("http://127.0.0.1:8080/simple/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexClient.resolve("pypy"));
        assertTrue(e.getMessage().startsWith("\"pypy\" is neither pypi, testpypi nor an http(s) URL"));
    }

    @Test
    void versionsAndNewestReleaseComeFromTheFileNames() throws Exception {
        route("/simple/acme-core/", e -> answer(e, 200, "text/html", """
                <a href="acme_core-0.9.0rc1.tar.gz">acme_core-0.9.0rc1.tar.gz</a>
                <a href="acme_core-0.5.0.tar.gz" data-yanked="">acme_core-0.5.0.tar.gz</a>
                <a href="acme-core-0.4.0.tar.gz">acme-core-0.4.0.tar.gz</a>
                <a href="acme_core-0.4.0-py3-none-any.whl">acme_core-0.4.0-py3-none-any.whl</a>"""));
        ProjectFiles files = client().build().files("acme-core").orElseThrow();
        assertEquals(List.of("0.4.0", "0.5.0", "0.9.0rc1"), files.versions().stream().map(Object::toString).toList());
        assertEquals("0.4.0", files.newestRelease().orElseThrow().toString());
        assertEquals(2, files.filesOf(Pep440Version.parse("0.4")).size());
    }
}
