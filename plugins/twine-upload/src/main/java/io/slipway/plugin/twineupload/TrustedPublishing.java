package io.slipway.plugin.twineupload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.slipway.python.Credentials;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trusted publishing as PyPI documents it: ask the index for its audience
 * ({@code GET <base>/_/oidc/audience}), ask GitHub Actions for an ID token for that audience
 * ({@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>} with {@code Authorization: bearer
 * $ACTIONS_ID_TOKEN_REQUEST_TOKEN}), and exchange it for a short-lived API token
 * ({@code POST <base>/_/oidc/mint-token} with {@code {"token": <id token>}}), which twine then
 * sends as the password of {@code __token__}.
 *
 * <p>Both tokens are handed to the step's masker the moment they arrive and are never put in a
 * message, an argument or the journal. The API token is minted right before the first upload that
 * needs it and again once it is about to expire (PyPI's last 15 minutes).
 */
final class TrustedPublishing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Mint again this long before the token expires. */
    private static final Duration MARGIN = Duration.ofSeconds(60);
    /** How long a token without an {@code expires} is used: PyPI's tokens last 15 minutes. */
    private static final Duration ASSUMED_LIFETIME = Duration.ofMinutes(10);

    private final StepContext ctx;
    private final URI base;
    private final Credentials.IdTokenRequest request;
    private final String target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private String token;
    private Instant renewAt = Instant.MIN;

    /**
     * @param base    the index's OIDC base URL, e.g. {@code https://pypi.org}
     * @param request GitHub Actions' ID token request
     * @param target  the upload target as the user named it, for messages and hints
     */
    TrustedPublishing(StepContext ctx, URI base, Credentials.IdTokenRequest request, String target) {
        this.ctx = ctx;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.request = request;
        this.target = target;
    }

    /** The API token to upload with: minted now, or the one minted earlier while it is still valid. */
    String token() throws StepException, InterruptedException {
        if (token == null || Instant.now().isAfter(renewAt)) {
            mint();
        }
        return token;
    }

    /** PyPI, TestPyPI, or the base URL: what the user calls the index whose settings are meant. */
    String indexName() {
        if (base.equals(Credentials.PYPI_OIDC)) {
            return "PyPI";
        }
        if (base.equals(Credentials.TESTPYPI_OIDC)) {
            return "TestPyPI";
        }
        return base.toString();
    }

    private void mint() throws StepException, InterruptedException {
        String audience = audience();
        String idToken = idToken(audience);
        ctx.mask(idToken);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(endpoint("mint-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JsonNodeFactory.instance.objectNode().put("token", idToken).toString())), indexName());
        JsonNode body = json(answer.body());
        String minted = body.path("token").asText("");
        if (answer.statusCode() == 200 && !minted.isBlank()) {
            ctx.mask(minted);
            token = minted;
            Optional<Instant> expires = body.path("expires").canConvertToLong()
                    ? Optional.of(Instant.ofEpochSecond(body.path("expires").asLong())) : Optional.empty();
            renewAt = expires.map(e -> e.minus(MARGIN)).orElse(Instant.now().plus(ASSUMED_LIFETIME));
            ctx.log().info("trusted publishing: " + indexName() + " minted a short-lived upload token for " + target
                    + expires.map(e -> " (valid until " + e + ")").orElse(""));
            return;
        }
        throw refused(answer.statusCode(), body, answer.body());
    }

    /** The audience the index wants ID tokens for: {@code pypi} on PyPI, {@code testpypi} on TestPyPI. */
    private String audience() throws StepException, InterruptedException {
        URI uri = endpoint("audience");
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri).GET(), indexName());
        if (answer.statusCode() == 404) {
            throw new StepException(indexName() + " does not support trusted publishing: GET " + uri + " answered HTTP 404",
                    "check the index's OIDC base URL (the oidc-url input"
                            + (urlTarget() ? "" : " or " + Credentials.oidcVariable(target)) + "), or upload with an API token (" + tokenHint() + ")");
        }
        String audience = json(answer.body()).path("audience").asText("");
        if (answer.statusCode() != 200 || audience.isBlank()) {
            throw new StepException("cannot ask " + indexName() + " for its trusted-publishing audience: GET " + uri
                    + " answered HTTP " + answer.statusCode() + quoted(answer.body()),
                    "check the index's OIDC base URL and that the index is up, then run the release again");
        }
        return audience;
    }

    /** GitHub's ID token (a JWT) for the audience. */
    private String idToken(String audience) throws StepException, InterruptedException {
        String url = request.url() + (request.url().contains("?") ? "&" : "?") + "audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new StepException(Credentials.ID_TOKEN_REQUEST_URL + " is not a URL",
                    "run the upload in a GitHub Actions job, which sets it; do not set it by hand");
        }
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri).GET()
                .header("Authorization", "bearer " + request.token()), "GitHub Actions' ID token service");
        String value = json(answer.body()).path("value").asText("");
        if (answer.statusCode() != 200 || value.isBlank()) {
            String why = answer.statusCode() == 200 ? " without a token" : quoted(answer.body());
            throw new StepException("GitHub Actions did not give an ID token for audience \"" + audience + "\": HTTP "
                    + answer.statusCode() + why,
                    "give the job `permissions: id-token: write` and re-run it (the request token is valid only while the job runs)");
        }
        return value;
    }

    /** The step failure for a refused exchange: PyPI's message and each error's code and description, and what to configure. */
    private StepException refused(int status, JsonNode body, String raw) {
        List<String> codes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            String code = error.path("code").asText("");
            String description = error.path("description").asText("");
            codes.add(code);
            errors.add(code.isEmpty() ? description : description.isEmpty() ? code : code + ": " + description);
        }
        String message = body.path("message").asText("");
        String said = errors.isEmpty() && message.isEmpty() ? quoted(raw)
                : ": " + (message.isEmpty() ? "" : message + (errors.isEmpty() ? "" : " — ")) + String.join("; ", errors);
        String what = indexName() + " refused to exchange the GitHub ID token for an upload token (HTTP " + status + ")" + said;
        String hint;
        if (codes.contains("invalid-publisher")) {
            hint = "add this repository" + github("GITHUB_REPOSITORY") + " and workflow" + workflow()
                    + " as a trusted publisher on " + indexName() + " (Your projects → Publishing; a new project: a pending"
                    + " publisher under Publishing in your account)";
        } else if (codes.contains("not-enabled")) {
            hint = "trusted publishing is turned off on " + indexName() + "; upload with an API token (" + tokenHint() + ")";
        } else if (codes.contains("invalid-token") || codes.contains("invalid-payload")) {
            hint = indexName() + " refused the ID token (it may have expired, or the job's claims do not match);"
                    + " re-run the job to get a fresh one";
        } else {
            hint = "check the trusted publisher configured for this repository on " + indexName() + " and re-run the job";
        }
        return new StepException(what, hint);
    }

    private boolean urlTarget() {
        return target.startsWith("http://") || target.startsWith("https://");
    }

    private String tokenHint() {
        return urlTarget() ? "TWINE_USERNAME/TWINE_PASSWORD" : Credentials.tokenVariable(target) + " or TWINE_PASSWORD";
    }

    private String github(String variable) {
        String value = ctx.env().getOrDefault(variable, "").strip();
        return value.isEmpty() ? "" : " (" + value + ")";
    }

    /** The workflow file named by GITHUB_WORKFLOW_REF ({@code owner/repo/.github/workflows/release.yml@refs/...}). */
    private String workflow() {
        String ref = ctx.env().getOrDefault("GITHUB_WORKFLOW_REF", "");
        int at = ref.indexOf('@');
        String path = at >= 0 ? ref.substring(0, at) : ref;
        int file = path.lastIndexOf('/');
        return path.isBlank() ? "" : " (" + path.substring(file + 1) + ")";
    }

    private URI endpoint(String name) {
        return URI.create(base + "/_/oidc/" + name);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String who) throws StepException, InterruptedException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StepException("trusted publishing: cannot reach " + who + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    "check the network and the index's OIDC base URL, then run the release again");
        }
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JsonNodeFactory.instance.objectNode() : node;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /** An answer's body on one line, at most 300 characters; empty body, empty text. */
    private static String quoted(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) {
            return "";
        }
        return ": " + (flat.length() <= 300 ? flat : flat.substring(0, 300) + "…");
    }
}
