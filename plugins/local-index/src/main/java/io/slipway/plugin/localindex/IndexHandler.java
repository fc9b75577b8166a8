package io.slipway.plugin.localindex;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.slipway.python.ProjectName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The index's HTTP face, laid out like PyPI:
 * <ul>
 *   <li>{@code GET /simple/}: the projects; {@code GET /simple/<project>/}: its files (PEP 503 HTML,
 *   or PEP 691 JSON on request); another spelling of a project's name is redirected (301) to the
 *   normalized one, a project the index does not have is 404;</li>
 *   <li>{@code GET /packages/<project>/<file>}: the file;</li>
 *   <li>{@code POST} of twine's form to {@code /simple/}, {@code /legacy/} or {@code /}: an upload
 *   ({@link Uploads}), by the given user only when the index was started with credentials (401
 *   otherwise).</li>
 * </ul>
 * HEAD works wherever GET does. Reads are anonymous.
 */
final class IndexHandler implements HttpHandler {

    private static final Set<String> UPLOAD_PATHS = Set.of("/", "/simple", "/simple/", "/legacy", "/legacy/");
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Store store;
    private final Uploads uploads;
    private final byte[] credentials;
    private final Path spool = Path.of(System.getProperty("java.io.tmpdir"));

    /** @param username who may upload, or null to let anyone upload */
    IndexHandler(Store store, String username, String password) {
        this.store = store;
        this.uploads = new Uploads(store);
        this.credentials = username == null ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (IOException | RuntimeException e) {
                if (exchange.getResponseCode() < 0) {
                    send(exchange, 500, TEXT, "The local index failed: " + e + "\n");
                }
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("POST")) {
            if (UPLOAD_PATHS.contains(path)) {
                upload(exchange);
            } else {
                drain(exchange);
                send(exchange, 405, TEXT, "Uploads go to /simple/ or /legacy/.\n");
            }
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            drain(exchange);
            exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
            send(exchange, 405, TEXT, method + " is not supported here.\n");
        } else if (path.equals("/simple")) {
            redirect(exchange, "/simple/");
        } else if (path.equals("/simple/")) {
            page(exchange, format -> Pages.projects(store.projects(), format));
        } else if (path.startsWith("/simple/")) {
            project(exchange, path.substring("/simple/".length()));
        } else if (path.startsWith("/packages/")) {
            download(exchange, path.substring("/packages/".length()));
        } else {
            notFound(exchange);
        }
    }

    /** {@code name/}: the project page; another spelling or no trailing slash: a redirect, as on PyPI. */
    private void project(HttpExchange exchange, String rest) throws IOException {
        String name = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (!ProjectName.isValid(name)) {
            notFound(exchange);
            return;
        }
        String normalized = ProjectName.normalize(name);
        if (!rest.equals(normalized + "/")) {
            redirect(exchange, "/simple/" + normalized + "/");
            return;
        }
        List<Store.Stored> files = store.files(normalized);
        if (files.isEmpty()) {
            notFound(exchange);
            return;
        }
        page(exchange, format -> Pages.project(normalized, files, format));
    }

    private interface Render {
        Pages.Page in(String format) throws IOException;
    }

    private void page(HttpExchange exchange, Render render) throws IOException {
        Optional<String> format = Pages.negotiate(exchange.getRequestHeaders().getFirst("Accept"));
        exchange.getResponseHeaders().set("Vary", "Accept");
        if (format.isEmpty()) {
            send(exchange, 406, TEXT, "This index answers with one of: " + Pages.FORMATS + "\n");
            return;
        }
        Pages.Page page = render.in(format.get());
        send(exchange, 200, page.contentType(), page.body());
    }

    private void download(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        Optional<Path> file = slash < 0 ? Optional.empty() : store.file(rest.substring(0, slash), rest.substring(slash + 1));
        if (file.isEmpty()) {
            notFound(exchange);
            return;
        }
        long size = Files.size(file.get());
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        if (isHead(exchange)) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (InputStream in = Files.newInputStream(file.get()); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        if (credentials != null) {
            Optional<String> refusal = unauthorised(exchange.getRequestHeaders().getFirst("Authorization"));
            if (refusal.isPresent()) {
                drain(exchange);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-index\"");
                send(exchange, 401, TEXT, refusal.get() + "\n");
                return;
            }
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            drain(exchange);
            send(exchange, 400, TEXT, "An upload is a multipart/form-data form, as twine sends it.\n");
            return;
        }
        try (UploadForm form = UploadForm.read(type, exchange.getRequestBody(), spool)) {
            drain(exchange);
            Uploads.Taken taken = uploads.take(form);
            send(exchange, taken.status(), TEXT, taken.message() + "\n");
        } catch (Refused e) {
            drain(exchange);
            send(exchange, 400, TEXT, e.getMessage() + "\n");
        }
    }

    /** Why the request may not upload, or empty if it may. */
    private Optional<String> unauthorised(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.of("Uploads to this index need a username and password (HTTP Basic).");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("Invalid or non-existent authentication information.");
        }
        return MessageDigest.isEqual(given, credentials) ? Optional.empty()
                : Optional.of("Invalid or non-existent authentication information.");
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 301, TEXT, "Moved to " + location + "\n");
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, TEXT, "404 Not Found\n");
    }

    /** Reads what is left of the request, so that the client gets the answer instead of a broken connection. */
    private static void drain(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    }

    private static boolean isHead(HttpExchange exchange) {
        return exchange.getRequestMethod().equals("HEAD");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (isHead(exchange)) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
