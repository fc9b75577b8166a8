package io.slipway.python;

import io.slipway.spi.UrlCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the credentials an upload to a target (a twine repository name such as {@code pypi},
 * {@code testpypi}, a custom {@code ~/.pypirc} section, or a repository URL) would use, looking
 * where twine looks, plus Slipway's per-target token variable. In this order:
 * <ol>
 *   <li>credentials written into a target URL ({@code https://user:secret@host/}): the most
 *       specific source there is;</li>
 *   <li>{@code <TARGET>_TOKEN}, e.g. {@code PYPI_TOKEN}, {@code TESTPYPI_TOKEN}: an API token sent
 *       as user {@code __token__}. Before the twine variables because it names one target, so
 *       a pipeline uploading to TestPyPI and then PyPI can hold a token for each;</li>
 *   <li>{@code TWINE_PASSWORD} with {@code TWINE_USERNAME} (default {@code __token__}), which twine
 *       uses for whatever repository it uploads to;</li>
 *   <li>the target's section of the config file ({@code ~/.pypirc}, or the file given), with
 *       {@code username} and {@code password};</li>
 *   <li>trusted publishing: inside a GitHub Actions job that may request an ID token
 *       ({@code ACTIONS_ID_TOKEN_REQUEST_URL} and {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}), for an
 *       index with an OIDC base ({@link #oidcBase}: PyPI, TestPyPI, or {@code <TARGET>_OIDC_URL}).
 *       The upload exchanges the ID token for a short-lived API token right before it uploads, so
 *       this {@link Found} has no password yet ({@link Found#trustedPublishing()}).</li>
 * </ol>
 * Without a target, the target is {@code TWINE_REPOSITORY_URL}, else {@code TWINE_REPOSITORY},
 * else {@code pypi}, as in twine.
 *
 * <p>{@link Found#source()} names where the credentials come from without showing them; only
 * {@link Found#username()} and {@link Found#password()} give the values, for the upload itself.
 * {@link #secrets()} lists every value, for masking.
 */
public final class Credentials {

    /** Where twine uploads for the built-in repository names. */
    public static final URI PYPI_UPLOAD = URI.create("https://upload.pypi.org/legacy/");
    public static final URI TESTPYPI_UPLOAD = URI.create("https://test.pypi.org/legacy/");

    /** Where PyPI and TestPyPI serve their trusted-publishing endpoints ({@code /_/oidc/...}). */
    public static final URI PYPI_OIDC = URI.create("https://pypi.org");
    public static final URI TESTPYPI_OIDC = URI.create("https://test.pypi.org");

    /** How {@link Found#source()} names trusted publishing. */
    public static final String TRUSTED_PUBLISHING = "trusted publishing (GitHub Actions OIDC)";

    /** The variables GitHub Actions sets in a job with {@code permissions: id-token: write}. */
    public static final String ID_TOKEN_REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public static final String ID_TOKEN_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    private static final String TOKEN_USER = "__token__";

    private final Map<String, String> env;
    private final Path configFile;
    private final String configName;

    private Credentials(Map<String, String> env, Path configFile, String configName) {
        this.env = Map.copyOf(env);
        this.configFile = configFile;
        this.configName = configName;
    }

    /** Looks in {@code env} and in {@code ~/.pypirc} ({@code HOME} from {@code env}, else the JVM's). */
    public static Credentials of(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new Credentials(env, Path.of(home, ".pypirc"), "~/.pypirc");
    }

    /** The same, reading this config file instead of {@code ~/.pypirc} (twine's {@code --config-file}). */
    public Credentials withConfigFile(Path file) {
        return new Credentials(env, Objects.requireNonNull(file), file.toString());
    }

    /** The target twine uploads to when none is named: TWINE_REPOSITORY_URL, TWINE_REPOSITORY or pypi. */
    public String defaultTarget() {
        return nonBlank(env.get("TWINE_REPOSITORY_URL"))
                .or(() -> nonBlank(env.get("TWINE_REPOSITORY")))
                .orElse("pypi");
    }

    /**
     * The credentials for a target, or empty if none of the sources has them.
     *
     * @param target a repository name or URL; {@code null} or blank for {@link #defaultTarget()}
     * @throws UncheckedIOException if the config file exists but cannot be read
     */
    public Optional<Found> find(String target) {
        String t = target == null || target.isBlank() ? defaultTarget() : target.strip();
        String shown = UrlCredentials.strip(t);
        Optional<URI> url = repositoryUrl(t);
        Optional<UrlCredentials> inUrl = UrlCredentials.in(t).stream().findFirst().filter(c -> c.password().isPresent());
        if (inUrl.isPresent()) {
            return Optional.of(new Found(shown, "the URL's user info", url, inUrl.get().username(), inUrl.get().password().get()));
        }
        Optional<String> token = isUrl(t) ? Optional.empty() : nonBlank(env.get(tokenVariable(t)));
        if (token.isPresent()) {
            return Optional.of(new Found(shown, tokenVariable(t), url, TOKEN_USER, token.get()));
        }
        Optional<String> twinePassword = nonBlank(env.get("TWINE_PASSWORD"));
        if (twinePassword.isPresent()) {
            Optional<String> user = nonBlank(env.get("TWINE_USERNAME"));
            return Optional.of(new Found(shown, user.isPresent() ? "TWINE_USERNAME/TWINE_PASSWORD" : "TWINE_PASSWORD",
                    url, user.orElse(TOKEN_USER), twinePassword.get()));
        }
        Map<String, String> section = section(t);
        Optional<String> password = nonBlank(section.get("password"));
        if (password.isPresent()) {
            return Optional.of(new Found(shown, configName + " [" + t + "]", url,
                    nonBlank(section.get("username")).orElse(TOKEN_USER), password.get()));
        }
        Optional<URI> oidc = oidcBase(t);
        if (oidc.isPresent() && idTokenRequest().isPresent()) {
            return Optional.of(new Found(shown, TRUSTED_PUBLISHING, url, TOKEN_USER, null, oidc));
        }
        return Optional.empty();
    }

    /**
     * Where an index serves trusted publishing's {@code /_/oidc/audience} and {@code /_/oidc/mint-token}:
     * {@code <TARGET>_OIDC_URL} for a named target (e.g. {@code MY_INDEX_OIDC_URL}), else
     * {@code https://pypi.org} for uploads to upload.pypi.org ({@code pypi}) and
     * {@code https://test.pypi.org} for uploads to test.pypi.org ({@code testpypi}); empty for
     * any other index.
     */
    public Optional<URI> oidcBase(String target) {
        String t = target == null || target.isBlank() ? defaultTarget() : target.strip();
        if (!isUrl(t)) {
            Optional<URI> configured = nonBlank(env.get(oidcVariable(t))).flatMap(Credentials::httpUrl);
            if (configured.isPresent()) {
                return configured;
            }
        }
        String host = repositoryUrl(t).map(URI::getHost).orElse("").toLowerCase(Locale.ROOT);
        return switch (host) {
            case "upload.pypi.org", "pypi.org" -> Optional.of(PYPI_OIDC);
            case "test.pypi.org" -> Optional.of(TESTPYPI_OIDC);
            default -> Optional.empty();
        };
    }

    /**
     * GitHub Actions' ID token request, if this job may make one: both {@code ACTIONS_ID_TOKEN_REQUEST_*}
     * variables are set, which GitHub does only for a job with {@code permissions: id-token: write}.
     */
    public Optional<IdTokenRequest> idTokenRequest() {
        Optional<String> url = nonBlank(env.get(ID_TOKEN_REQUEST_URL));
        Optional<String> token = nonBlank(env.get(ID_TOKEN_REQUEST_TOKEN));
        return url.isPresent() && token.isPresent() ? Optional.of(new IdTokenRequest(url.get().strip(), token.get()))
                : Optional.empty();
    }

    /** True inside a GitHub Actions job ({@code GITHUB_ACTIONS=true}). */
    public boolean inGitHubActions() {
        return "true".equalsIgnoreCase(env.getOrDefault("GITHUB_ACTIONS", "").strip());
    }

    /**
     * Every credential value the sources hold, whichever target would use it: the token and
     * password variables, each password of the config file (listed in index-servers or not), and
     * credentials written into its repository URLs. For masking; never show them.
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (name.equals("TWINE_PASSWORD") || name.endsWith("_TOKEN")) {
                secrets.add(value);
            }
        });
        for (Map<String, String> section : config().values()) {
            nonBlank(section.get("password")).ifPresent(secrets::add);
            nonBlank(section.get("repository")).ifPresent(u -> UrlCredentials.in(u).forEach(c -> secrets.add(c.secret())));
        }
        return secrets;
    }

    /**
     * Where twine would upload for a target: the URL itself, the {@code repository} of its config
     * section, or the built-in address of {@code pypi} and {@code testpypi}; empty if unknown.
     */
    public Optional<URI> repositoryUrl(String target) {
        if (isUrl(target)) {
            return Optional.of(URI.create(UrlCredentials.strip(target)));
        }
        Optional<URI> configured = nonBlank(section(target).get("repository")).map(u -> URI.create(UrlCredentials.strip(u)));
        if (configured.isPresent()) {
            return configured;
        }
        return switch (target.toLowerCase(Locale.ROOT)) {
            case "pypi" -> Optional.of(PYPI_UPLOAD);
            case "testpypi" -> Optional.of(TESTPYPI_UPLOAD);
            default -> Optional.empty();
        };
    }

    /**
     * One sentence on how to give credentials for a target. Where trusted publishing could apply it
     * says what it lacks: a job with the OIDC variables but an index without an OIDC base is told how
     * to give the base; a GitHub Actions job without the variables, uploading to an index with one,
     * is told to ask for {@code permissions: id-token: write}.
     */
    public String hint(String target) {
        String t = target == null || target.isBlank() ? defaultTarget() : target.strip();
        boolean hasBase = oidcBase(t).isPresent();
        String oidc = "";
        if (idTokenRequest().isPresent() && !hasBase) {
            oidc = isUrl(t)
                    ? TRUSTED_PUBLISHING + " needs the index's OIDC base URL, which only a named target can give"
                            + " (a ~/.pypirc section with <NAME>_OIDC_URL), so "
                    : TRUSTED_PUBLISHING + " needs the OIDC base URL of " + t + "'s index: set " + oidcVariable(t)
                            + " to the address that serves /_/oidc/audience (e.g. https://pypi.example.org); or ";
        } else if (inGitHubActions() && idTokenRequest().isEmpty() && hasBase) {
            oidc = "for " + TRUSTED_PUBLISHING + " give the job `permissions: id-token: write`; or ";
        }
        if (isUrl(t)) {
            return oidc + "set TWINE_USERNAME and TWINE_PASSWORD for " + UrlCredentials.strip(t);
        }
        return oidc + "set " + tokenVariable(t) + " to an API token, or TWINE_USERNAME and TWINE_PASSWORD,"
                + " or add username and password to the [" + t + "] section of " + configName;
    }

    /** {@code PYPI_TOKEN} for {@code pypi}, {@code MY_INDEX_TOKEN} for {@code my-index}. */
    public static String tokenVariable(String target) {
        return target.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_TOKEN";
    }

    /** {@code PYPI_OIDC_URL} for {@code pypi}, {@code MY_INDEX_OIDC_URL} for {@code my-index}. */
    public static String oidcVariable(String target) {
        return target.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_OIDC_URL";
    }

    /** An http(s) URL with a host; empty for anything else, which then gives no OIDC base. */
    private static Optional<URI> httpUrl(String value) {
        try {
            URI uri = URI.create(value.strip());
            return isUrl(value.strip()) && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isUrl(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        return t.startsWith("https://") || t.startsWith("http://");
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /**
     * The target's section, if the file lists it: twine reads only the sections named in
     * {@code [distutils] index-servers}, or {@code pypi} and {@code testpypi} when that is absent.
     */
    private Map<String, String> section(String target) {
        if (isUrl(target)) {
            return Map.of();
        }
        Map<String, Map<String, String>> ini = config();
        List<String> servers = Optional.ofNullable(ini.getOrDefault("distutils", Map.of()).get("index-servers"))
                .map(s -> Arrays.asList(s.strip().split("\\s+")))
                .orElse(List.of("pypi", "testpypi"));
        return servers.contains(target) ? ini.getOrDefault(target, Map.of()) : Map.of();
    }

    /** The config file's sections; none if there is no file. */
    private Map<String, Map<String, String>> config() {
        if (!Files.isRegularFile(configFile)) {
            return Map.of();
        }
        try {
            return IniFile.read(configFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile, e);
        }
    }

    /**
     * GitHub Actions' ID token request: GET {@code url&audience=<aud>} with
     * {@code Authorization: bearer <token>}. {@link #toString()} does not show the token.
     */
    public record IdTokenRequest(String url, String token) {
        @Override
        public String toString() {
            return "ID token request to " + url;
        }
    }

    /** Credentials found for a target. {@link #toString()} shows the source, never the values. */
    public static final class Found {
        private final String target;
        private final String source;
        private final Optional<URI> repositoryUrl;
        private final String username;
        private final String password;
        private final Optional<URI> trustedPublishing;

        private Found(String target, String source, Optional<URI> repositoryUrl, String username, String password) {
            this(target, source, repositoryUrl, username, password, Optional.empty());
        }

        private Found(String target, String source, Optional<URI> repositoryUrl, String username, String password,
                      Optional<URI> trustedPublishing) {
            this.target = target;
            this.source = source;
            this.repositoryUrl = repositoryUrl;
            this.username = username;
            this.password = password;
            this.trustedPublishing = trustedPublishing;
        }

        public String target() {
            return target;
        }

        /** Where they come from, e.g. {@code PYPI_TOKEN} or {@code ~/.pypirc [pypi]}; safe to show. */
        public String source() {
            return source;
        }

        /** Where to upload, if known for the target. */
        public Optional<URI> repositoryUrl() {
            return repositoryUrl;
        }

        public String username() {
            return username;
        }

        /**
         * The secret; pass it only through a subprocess's environment.
         *
         * @throws IllegalStateException for trusted publishing, whose password is minted at the upload
         */
        public String password() {
            if (password == null) {
                throw new IllegalStateException(source + " has no password until the upload mints one");
            }
            return password;
        }

        /** For trusted publishing, the index's OIDC base URL (the upload mints the password there); else empty. */
        public Optional<URI> trustedPublishing() {
            return trustedPublishing;
        }

        @Override
        public String toString() {
            return "credentials for " + target + " from " + source;
        }
    }
}
