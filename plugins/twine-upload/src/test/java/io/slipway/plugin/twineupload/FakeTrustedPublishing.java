package io.slipway.plugin.twineupload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback server (JDK {@code HttpServer} on 127.0.0.1) that plays both sides of trusted
 * publishing: GitHub Actions' ID token endpoint ({@code /actions/token?api-version=2.0&audience=...},
 * bearer request token) and an index's {@code /_/oidc/audience} and {@code /_/oidc/mint-token}.
 * It checks what the client sends (the bearer header, the audience parameter, the JSON body with the
 * ID token) and records every departure in {@link #problems()}; everything else answers 404.
 */
final class FakeTrustedPublishing implements AutoCloseable {

    static final String REQUEST_TOKEN = "actions-request-token-5f3c1a";
    static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJmYWtlIn0.jwt-signature-9d1e";
    static final String MINTED = "pypi-minted-upload-token-7b2e4f";
    /** With a slash, to show it is URL-encoded in the token request. */
    static final String AUDIENCE = "fake/index";

    /** How the index's mint-token endpoint answers: success, or one of PyPI's refusals. */
    enum Mint { SUCCESS, INVALID_PUBLISHER, EXPIRED_TOKEN, NOT_ENABLED, NOT_JSON }

    private final HttpServer server;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> calls = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Mint mint = Mint.SUCCESS;
    private volatile boolean audienceMissing;
    private volatile int actionsStatus = 200;

    FakeTrustedPublishing() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The index's OIDC base URL, e.g. {@code http://127.0.0.1:PORT}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What GitHub puts in ACTIONS_ID_TOKEN_REQUEST_URL: a URL with a query string already. */
    String requestUrl() {
        return base() + "/actions/token?api-version=2.0";
    }

    FakeTrustedPublishing mint(Mint answer) {
        this.mint = answer;
        return this;
    }

    /** The index has no trusted publishing: /_/oidc/audience answers 404. */
    FakeTrustedPublishing withoutAudience() {
        this.audienceMissing = true;
        return this;
    }

    /** The Actions token endpoint answers with this status (and GitHub's kind of JSON message). */
    FakeTrustedPublishing actionsStatus(int status) {
        this.actionsStatus = status;
        return this;
    }

    /** What the client sent that the real endpoints would not accept; empty if all was well. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Requests by endpoint: {@code audience}, {@code token}, {@code mint}. */
    int calls(String endpoint) {
        return calls.getOrDefault(endpoint, 0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/actions/token" -> token(exchange);
                case "/_/oidc/audience" -> audience(exchange);
                case "/_/oidc/mint-token" -> mintToken(exchange);
                default -> respond(exchange, 404, "{\"message\": \"Not Found\"}");
            }
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        calls.merge("token", 1, Integer::sum);
        expect("GET", exchange.getRequestMethod(), "token method");
        expect("bearer " + REQUEST_TOKEN, exchange.getRequestHeaders().getFirst("Authorization"), "token Authorization header");
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        expect("2.0", query.get("api-version"), "token api-version parameter");
        expect(AUDIENCE, query.get("audience"), "token audience parameter");
        if (!exchange.getRequestURI().getRawQuery().contains("audience=fake%2Findex")) {
            problems.add("token audience not URL-encoded: " + exchange.getRequestURI().getRawQuery());
        }
        if (actionsStatus != 200) {
            respond(exchange, actionsStatus, "{\"message\": \"Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable\"}");
            return;
        }
        respond(exchange, 200, "{\"count\": 1, \"value\": \"" + ID_TOKEN + "\"}");
    }

    private void audience(HttpExchange exchange) throws IOException {
        calls.merge("audience", 1, Integer::sum);
        expect("GET", exchange.getRequestMethod(), "audience method");
        if (audienceMissing) {
            respond(exchange, 404, "<html><body>404 Not Found</body></html>");
            return;
        }
        respond(exchange, 200, "{\"audience\": \"" + AUDIENCE + "\"}");
    }

    private void mintToken(HttpExchange exchange) throws IOException {
        calls.merge("mint", 1, Integer::sum);
        expect("POST", exchange.getRequestMethod(), "mint-token method");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("mint-token Content-Type: " + contentType);
        }
        JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
        expect(ID_TOKEN, body.path("token").asText(null), "mint-token body's token");
        if (body.size() != 1) {
            problems.add("mint-token body has other fields: " + body.fieldNames().next());
        }
        switch (mint) {
            case SUCCESS -> respond(exchange, 200, "{\"success\": true, \"token\": \"" + MINTED + "\", \"expires\": "
                    + Instant.now().plusSeconds(900).getEpochSecond() + "}");
            case INVALID_PUBLISHER -> respond(exchange, 422, error("invalid-publisher",
                    "valid token, but no corresponding publisher (All lookup strategies exhausted)"));
            case EXPIRED_TOKEN -> respond(exchange, 422, error("invalid-token",
                    "malformed or invalid token: Signature has expired"));
            case NOT_ENABLED -> respond(exchange, 422, error("not-enabled", "Trusted publishing functionality not enabled"));
            case NOT_JSON -> respond(exchange, 500, "<html>Internal Server Error</html>");
        }
    }

    private static String error(String code, String description) {
        return "{\"message\": \"Token request failed\", \"errors\": [{\"code\": \"" + code + "\", \"description\": \""
                + description + "\"}]}";
    }

    private void expect(String expected, String actual, String what) {
        if (!expected.equals(actual)) {
            problems.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/html");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
