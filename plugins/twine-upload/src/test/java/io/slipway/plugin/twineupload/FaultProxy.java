package io.slipway.plugin.twineupload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of the local index that records which files reach it and injects
 * faults into uploads (POST requests): a status instead of forwarding, or an answer held back after
 * forwarding (the moment a crash would lose it).
 */
final class FaultProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]+)\"");

    private final HttpServer server;
    private final String target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger posts = new AtomicInteger();
    private final List<String> forwardedUploads = new CopyOnWriteArrayList<>();
    private volatile int failFirst;
    private volatile int failStatus;
    private volatile int holdAfterForwarding;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** @param target the index's base, e.g. {@code http://127.0.0.1:1234} */
    FaultProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The first {@code n} uploads get {@code status} and never reach the index. */
    FaultProxy failFirstUploads(int n, int status) {
        failFirst = n;
        failStatus = status;
        return this;
    }

    /** Upload number {@code n} (from 1) reaches the index, but its answer waits for {@link #release()}. */
    FaultProxy holdAfterForwardingUpload(int n) {
        holdAfterForwarding = n;
        return this;
    }

    /** Waits until the held upload has reached the index. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the upload to hold never came");
        }
    }

    /** Lets the held upload's answer go to the client. */
    void release() {
        released.countDown();
    }

    /** The simple index (and upload URL) through this proxy. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    /** How many uploads (POST requests) came, faulted or not. */
    int uploadAttempts() {
        return posts.get();
    }

    /** File names of the uploads that reached the index, in order. */
    List<String> forwardedUploads() {
        return List.copyOf(forwardedUploads);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean upload = exchange.getRequestMethod().equals("POST");
            int number = upload ? posts.incrementAndGet() : 0;
            if (upload && number <= failFirst) {
                exchange.sendResponseHeaders(failStatus, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (upload && response.statusCode() < 300) {
                Matcher m = FILE_NAME.matcher(new String(body, StandardCharsets.ISO_8859_1));
                forwardedUploads.add(m.find() ? m.group(1) : "?");
            }
            if (upload && number == holdAfterForwarding) {
                held.countDown();
                released.await();
            }
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
