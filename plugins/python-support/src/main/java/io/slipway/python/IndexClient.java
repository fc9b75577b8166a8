package io.slipway.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.spi.UrlCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which files a package index holds for a project, with their sha256.
 *
 * <p>Asks the simple index for PEP 691 JSON and reads the PEP 503 HTML page when the index
 * answers with HTML (hashes from {@code #sha256=} fragments). When some files come without a
 * hash and the index has a PyPI-style JSON API ({@code <root>/pypi/<name>/json} beside
 * {@code <root>/simple/}), the hashes are taken from there.
 *
 * <pre>{@code
 * IndexClient index = IndexClient.builder(IndexClient.PYPI).build();
 * Optional<ProjectFiles> files = index.files("acme-core");   // empty: no such project
 * }</pre>
 *
 * <p>Connection errors, timeouts and 5xx answers are retried a bounded number of times with
 * growing pauses; any other unexpected answer fails at once with an {@link IndexException}
 * naming the URL and the status. Credentials are sent as HTTP Basic on every request, since
 * private indexes often answer 404 rather than 401 to anonymous requests.
 */
public final class IndexClient {

    /** PyPI's simple index. */
    public static final URI PYPI = URI.create("https://pypi.org/simple/");
    /** TestPyPI's simple index. */
    public static final URI TESTPYPI = URI.create("https://test.pypi.org/simple/");

    private static final String PEP691_JSON = "application/vnd.pypi.simple.v1+json";
    private static final String ACCEPT = PEP691_JSON + ", application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";
    private static final Pattern ANCHOR = Pattern.compile("<a\\s([^>]*)>(.*?)</a>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI simple;
    private final String authorization;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http;

    private IndexClient(Builder b) {
        this.simple = b.simple;
        this.authorization = b.username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((b.username + ":" + b.password).getBytes(StandardCharsets.UTF_8));
        this.timeout = b.timeout;
        this.attempts = b.attempts;
        this.backoff = b.backoff;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * A client for the simple index at {@code simpleUrl}, e.g. {@code https://pypi.org/simple/}.
     * Credentials written into the URL ({@code https://user:token@host/simple/}) are taken out
     * of it and sent as Basic auth, so that error messages never show them.
     */
    public static Builder builder(URI simpleUrl) {
        return new Builder(simpleUrl);
    }

    /**
     * The simple index URL for {@code pypi}, {@code testpypi}, or the given URL itself.
     *
     * @throws IllegalArgumentException if it is neither a known name nor an http(s) URL
     */
    public static URI resolve(String nameOrUrl) {
        String s = nameOrUrl.strip();
        if (s.equalsIgnoreCase("pypi")) {
            return PYPI;
        }
        if (s.equalsIgnoreCase("testpypi")) {
            return TESTPYPI;
        }
        try {
            URI uri = new URI(s);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException("\"" + nameOrUrl + "\" is neither pypi, testpypi nor an http(s) URL"
                + " of a simple index (e.g. https://pypi.org/simple/)");
    }

    /** The simple index this client reads, without credentials. */
    public URI simpleUrl() {
        return simple;
    }

    /**
     * The files the index lists for a project.
     *
     * @param project a project name in any spelling; the request uses its PEP 503 normal form
     * @return empty if the index answers 404 (no such project); an empty file list if the project
     *         exists without files
     * @throws IndexException if the index cannot be read; the message names the URL and status
     */
    public Optional<ProjectFiles> files(String project) throws IndexException {
        String name = ProjectName.of(project).normalized();
        URI page = simple.resolve(name + "/");
        Optional<HttpResponse<String>> answer = get(page, ACCEPT);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<String> response = answer.get();
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        List<IndexFile> files = type.startsWith(PEP691_JSON)
                ? fromJson(response.uri(), response.body())
                : fromHtml(response.uri(), response.body());
        if (files.stream().anyMatch(f -> f.sha256().isEmpty())) {
            files = withJsonApiHashes(name, files);
        }
        return Optional.of(new ProjectFiles(name, page, files));
    }

    /** PEP 691: {@code {"files": [{"filename", "url", "hashes": {"sha256"}, "yanked"}]}}. */
    private static List<IndexFile> fromJson(URI page, String body) throws IndexException {
        JsonNode root = parseJson(page, body);
        List<IndexFile> files = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            JsonNode yanked = f.path("yanked");
            files.add(new IndexFile(f.path("filename").asText(), page.resolve(f.path("url").asText()),
                    Optional.ofNullable(f.path("hashes").path("sha256").textValue()),
                    yanked.isTextual() || yanked.asBoolean(false)));
        }
        return files;
    }

    /** PEP 503: one anchor per file, its text the file name, its href ending in {@code #sha256=<hex>}. */
    private static List<IndexFile> fromHtml(URI page, String body) {
        List<IndexFile> files = new ArrayList<>();
        Matcher a = ANCHOR.matcher(body);
        while (a.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher attr = ATTRIBUTE.matcher(a.group(1));
            while (attr.find()) {
                attributes.put(attr.group(1).toLowerCase(Locale.ROOT),
                        unescape(attr.group(2) != null ? attr.group(2) : attr.group(3)));
            }
            String href = attributes.get("href");
            if (href == null) {
                continue;
            }
            URI url = page.resolve(href.replace(" ", "%20"));
            String fragment = url.getFragment();
            Optional<String> sha256 = fragment != null && fragment.startsWith("sha256=")
                    ? Optional.of(fragment.substring("sha256=".length())) : Optional.empty();
            String fileName = unescape(a.group(2).strip());
            if (fileName.isEmpty()) {
                fileName = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            }
            files.add(new IndexFile(fileName, url, sha256, attributes.containsKey("data-yanked")));
        }
        return files;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /**
     * Fills missing hashes from the JSON API of an index laid out like PyPI; leaves the files as
     * they are when there is no such API.
     */
    private List<IndexFile> withJsonApiHashes(String name, List<IndexFile> files) throws IndexException {
        String path = simple.getPath();
        if (!path.endsWith("/simple/")) {
            return files;
        }
        URI api = simple.resolve(path.substring(0, path.length() - "simple/".length()) + "pypi/" + name + "/json");
        Optional<HttpResponse<String>> answer = get(api, "application/json");
        if (answer.isEmpty()) {
            return files;
        }
        Map<String, String> hashes = new HashMap<>();
        for (JsonNode release : parseJson(api, answer.get().body()).path("releases")) {
            for (JsonNode f : release) {
                String sha = f.path("digests").path("sha256").textValue();
                if (sha != null) {
                    hashes.put(f.path("filename").asText(), sha);
                }
            }
        }
        return files.stream().map(f -> f.sha256().isPresent() || !hashes.containsKey(f.fileName()) ? f
                : new IndexFile(f.fileName(), f.url(), Optional.of(hashes.get(f.fileName())), f.yanked())).toList();
    }

    private static JsonNode parseJson(URI url, String body) throws IndexException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IndexException("GET " + url + " answered JSON that cannot be read: " + e.getMessage(), url, 200, e);
        }
    }

    /**
     * GETs a URL: the 200 response, or empty on 404. Retries connection errors, timeouts and 5xx
     * answers up to the configured number of attempts, pausing {@code backoff}, then twice that,
     * and so on.
     */
    private Optional<HttpResponse<String>> get(URI url, String accept) throws IndexException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", accept)
                .header("User-Agent", "slipway").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        IndexException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(1L << (attempt - 2)), url, last);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return Optional.of(response);
                }
                if (status == 404) {
                    return Optional.empty();
                }
                last = new IndexException("GET " + url + " answered HTTP " + status + explain(status, attempt),
                        url, status, null);
                if (status < 500) {
                    throw last;
                }
            } catch (IndexException e) {
                throw e;
            } catch (java.net.http.HttpConnectTimeoutException e) {
                last = new IndexException("GET " + url + " could not connect within " + timeout.toMillis() + " ms"
                        + tries(attempt), url, 0, e);
            } catch (HttpTimeoutException e) {
                last = new IndexException("GET " + url + " did not answer within " + timeout.toMillis() + " ms"
                        + tries(attempt), url, 0, e);
            } catch (IOException e) {
                last = new IndexException("GET " + url + " failed: " + describe(e) + tries(attempt), url, 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IndexException("GET " + url + " was interrupted", url, 0, e);
            }
        }
        throw last;
    }

    private static String explain(int status, int attempt) {
        return switch (status) {
            case 401, 403 -> " (the index wants credentials that are missing or wrong)";
            default -> status >= 500 ? tries(attempt) : "";
        };
    }

    private static String tries(int attempt) {
        return attempt == 1 ? "" : " (" + attempt + " attempts)";
    }

    /** What went wrong, in words: the exception's class is no news to a user. */
    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "could not connect (connection refused)";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "the host is unknown (" + e.getMessage() + ")";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the connection broke" : message;
    }

    private static void pause(Duration pause, URI url, IndexException cause) throws IndexException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexException("GET " + url + " was interrupted while waiting to retry", url, 0, cause);
        }
    }

    /** Settings of an {@link IndexClient}; defaults suit PyPI. */
    public static final class Builder {
        private final URI simple;
        private String username;
        private String password;
        private Duration timeout = Duration.ofSeconds(30);
        private int attempts = 4;
        private Duration backoff = Duration.ofMillis(500);

        private Builder(URI simpleUrl) {
            Objects.requireNonNull(simpleUrl, "simpleUrl");
            String s = simpleUrl.toString();
            UrlCredentials.in(s).stream().findFirst().ifPresent(c -> credentials(c.username(), c.password().orElse("")));
            String shown = UrlCredentials.strip(s);
            this.simple = URI.create(shown.endsWith("/") ? shown : shown + "/");
        }

        /** HTTP Basic credentials sent with every request; {@code __token__} and a token for PyPI-style indexes. */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Limit for connecting and for each whole request. Default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Tries per request for connection errors, timeouts and 5xx answers. Default 4. */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /** The pause before the first retry; doubled before each further one. Default 0.5 s. */
        public Builder backoff(Duration backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        public IndexClient build() {
            return new IndexClient(this);
        }
    }
}
