package io.slipway.plugin.twineupload;

import io.slipway.python.Sha256;
import io.slipway.spi.UrlCredentials;
import io.slipway.python.Credentials;
import io.slipway.python.DistributionFile;
import io.slipway.python.IndexClient;
import io.slipway.python.ProjectName;
import io.slipway.spi.InputCheck;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * {@code twine-upload}: uploads built files exactly once, in package order.
 *
 * <p>Exactly once across crashes: one twine call per package; before it the journal and the index
 * are consulted for each file; the journal marks every file of the call in-flight before twine
 * starts and each done once the index took it, and a file the index already lists with the same
 * sha256 counts as uploaded. The same name with another sha256 is never
 * overwritten.
 */
@Extension
public class TwineUpload implements StepType {

    static final int ATTEMPTS = 4;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    @Override
    public String id() {
        return "twine-upload";
    }

    @Override
    public String description() {
        return "Uploads built files with twine, each exactly once, after checking their sha256 against the build "
                + "and the index.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.required("files", InputType.LIST, "the files to upload, e.g. python-build's files output"),
                InputSpec.optional("sha256", InputType.MAP, Map.of(),
                        "sha256 by path as the build recorded it (python-build's sha256 output); a file that differs is refused"),
                InputSpec.required("repository", InputType.STRING,
                        "a .pypirc repository name (pypi, testpypi, or your own) or an upload URL"),
                InputSpec.optional("index-url", InputType.STRING, null,
                        "the simple index showing what the repository holds; known for pypi and testpypi, else the upload URL"),
                InputSpec.optional("index-identity", InputType.STRING, null,
                        "what the index holds when its URL does not say it, e.g. local-index's identity output; an upload"
                                + " recorded in the journal counts only for the same upload URL and identity"),
                InputSpec.optional("order", InputType.LIST, List.of(),
                        "project names in upload order (dependencies first); other projects follow in file order"),
                InputSpec.optional("username", InputType.STRING, null,
                        "upload user; default from the credentials found, __token__ with a password input"),
                InputSpec.optional("password", InputType.STRING, null, "upload password or API token; default "
                        + "<TARGET>_TOKEN, TWINE_PASSWORD, the target's ~/.pypirc section, or trusted publishing").asSecret(),
                InputSpec.optional("oidc-url", InputType.STRING, null,
                        "the index's trusted-publishing (OIDC) base URL, where /_/oidc/audience is served; known for pypi"
                                + " and testpypi, else <TARGET>_OIDC_URL; used in a GitHub Actions job with id-token: write"
                                + " when no password is given"),
                InputSpec.optional("timeout-seconds", InputType.INTEGER, 600,
                        "stop the upload of one file after this long, a package's n files after n times as long (twine waits"
                                + " for the index's answer without a limit)")
                        .withCheck(InputCheck.range(1, Integer.MAX_VALUE)));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("urls", InputType.MAP, "download URL by file name"),
                new OutputSpec("project-urls", InputType.MAP, "project page by project name"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String repository = ctx.string("repository");
        Credentials credentials = Credentials.of(ctx.env());
        UploadTarget target = UploadTarget.of(repository, ctx.optionalString("index-url"),
                credentials.repositoryUrl(repository), ctx.optionalString("index-identity"));
        Twine twine = twine(ctx, target, credentials);
        IndexClient.Builder client = IndexClient.builder(target.index());
        if (target.sameHost() && twine.username().isPresent() && twine.password().isPresent()) {
            client.credentials(twine.username().get(), twine.password().get());
        }
        PackageUpload upload = new PackageUpload(ctx, target, client.build(), twine);

        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> projectUrls = new LinkedHashMap<>();
        int uploaded = 0;
        int skipped = 0;
        for (Map.Entry<ProjectName, List<Path>> project : ordered(ctx).entrySet()) {
            Map<Path, String> files = new LinkedHashMap<>();
            for (Path file : project.getValue()) {
                files.put(file, expectedSha256(ctx, file));
            }
            int sent = upload.once(project.getKey(), files);
            uploaded += sent;
            skipped += files.size() - sent;
            urls.putAll(upload.urls(project.getKey(), project.getValue()));
            projectUrls.put(project.getKey().normalized(), target.projectPage(project.getKey(), ctx.version()));
        }
        ctx.output("urls", urls);
        ctx.output("project-urls", projectUrls);
        String summary = "uploaded " + uploaded + " files to " + target.repository()
                + (skipped > 0 ? ", " + skipped + " already there" : "");
        return StepResult.success(summary);
    }

    /**
     * Every file journaled as uploaded, or as in flight (it may have arrived), unless it went to an
     * index on this machine (the embedded one on 127.0.0.1), which nobody else sees.
     */
    @Override
    public List<String> published(StepContext ctx) {
        List<String> out = new ArrayList<>();
        ctx.journal().entries().forEach((key, value) -> {
            if (!key.startsWith("upload:")) {
                return;
            }
            int to = value.indexOf(" to ");
            String destination = to >= 0 ? value.substring(to + " to ".length()) : UrlCredentials.strip(ctx.string("repository"));
            if (onThisMachine(destination)) {
                return;
            }
            String file = key.substring("upload:".length());
            out.add(value.startsWith("done ") ? file + " uploaded to " + destination
                    : file + " was being uploaded to " + destination + "; it may have arrived");
        });
        return out;
    }

    private static boolean onThisMachine(String destination) {
        try {
            String host = java.net.URI.create(destination.split(" ", 2)[0]).getHost();
            return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
        } catch (IllegalArgumentException notAUrl) {
            return false; // a repository name such as pypi
        }
    }

    /**
     * The credentials to upload with: the inputs; else the first source {@link Credentials} finds
     * (the repository URL's user info, the target's token variable, TWINE_USERNAME/TWINE_PASSWORD,
     * ~/.pypirc), passed on through the environment because the twine process is isolated from the
     * machine's TWINE_* settings and its command line shows the URL without them; else trusted
     * publishing, when the job may request a GitHub ID token and the index has an OIDC base (the
     * oidc-url input, or what {@link Credentials#oidcBase} knows).
     */
    private static Twine twine(StepContext ctx, UploadTarget target, Credentials credentials) throws StepException {
        Duration timeout = Duration.ofSeconds(ctx.integer("timeout-seconds"));
        Optional<String> password = ctx.optionalString("password");
        if (password.isPresent()) {
            String username = ctx.optionalString("username").orElse("__token__");
            return new Twine(ctx, target, Optional.of(username), password, Optional.of("the username and password inputs"), timeout);
        }
        String repository = ctx.string("repository");
        Optional<Credentials.Found> found = credentials.find(repository).filter(f -> f.trustedPublishing().isEmpty());
        if (found.isPresent()) {
            return new Twine(ctx, target, ctx.optionalString("username").or(() -> found.map(Credentials.Found::username)),
                    found.map(Credentials.Found::password), found.map(Credentials.Found::source), timeout);
        }
        Optional<URI> oidcBase = oidcBase(ctx).or(() -> credentials.oidcBase(repository));
        Optional<Credentials.IdTokenRequest> request = credentials.idTokenRequest();
        if (oidcBase.isPresent() && request.isPresent()) {
            return new Twine(ctx, target, new TrustedPublishing(ctx, oidcBase.get(), request.get(), target.repository()), timeout);
        }
        if (oidcBase.isPresent() && credentials.inGitHubActions()) {
            throw new StepException("no credentials for \"" + target.repository() + "\", and this GitHub Actions job may not"
                    + " request an ID token for trusted publishing (" + Credentials.ID_TOKEN_REQUEST_URL + " and "
                    + Credentials.ID_TOKEN_REQUEST_TOKEN + " are not set)",
                    "give the job `permissions: id-token: write` (GitHub sets them only then); or "
                            + credentials.hint(repository).replaceFirst("^for .*?; or ", ""));
        }
        // No credentials: twine says so ("Credential not found") and the refusal names the ways to give them.
        return new Twine(ctx, target, ctx.optionalString("username"), Optional.empty(), Optional.empty(), timeout);
    }

    private static Optional<URI> oidcBase(StepContext ctx) throws StepException {
        Optional<String> given = ctx.optionalString("oidc-url").map(String::strip).filter(s -> !s.isEmpty());
        if (given.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(given.get());
            if ((uri.getScheme() == null || !uri.getScheme().matches("https?")) || uri.getHost() == null) {
                throw new URISyntaxException(given.get(), "not an http(s) URL");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new StepException("oidc-url \"" + given.get() + "\" is not an http(s) URL",
                    "give the index's trusted-publishing base, e.g. https://pypi.example.org (it serves /_/oidc/audience)");
        }
    }

    /** The files grouped by project, projects in the {@code order} input first. */
    private static Map<ProjectName, List<Path>> ordered(StepContext ctx) throws StepException {
        Map<String, ProjectName> names = new LinkedHashMap<>();
        Map<String, List<Path>> byProject = new LinkedHashMap<>();
        for (String file : ctx.list("files")) {
            Path path = ctx.workspace().resolve(file).normalize();
            DistributionFile dist;
            try {
                dist = DistributionFile.parse(path.getFileName().toString());
            } catch (IllegalArgumentException e) {
                throw new StepException(e.getMessage(), "upload only the wheels and sdists python-build produced");
            }
            names.putIfAbsent(dist.project().normalized(), dist.project());
            byProject.computeIfAbsent(dist.project().normalized(), k -> new ArrayList<>()).add(path);
        }
        Map<ProjectName, List<Path>> result = new LinkedHashMap<>();
        for (String wanted : ctx.list("order")) {
            String key = ProjectName.normalize(wanted);
            if (!byProject.containsKey(key)) {
                ctx.log().warn("order names \"" + wanted + "\", but no file of that project is in files");
                continue;
            }
            result.put(names.get(key), byProject.remove(key));
        }
        byProject.forEach((key, files) -> result.put(names.get(key), files));
        return result;
    }

    /** The sha256 the build recorded, which the file must still have. */
    private static String expectedSha256(StepContext ctx, Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new StepException("\"" + file + "\" does not exist", "build again, then upload");
        }
        String now = Sha256.of(file);
        Map<String, String> recorded = ctx.map("sha256");
        String expected = recorded.get(file.toString());
        if (expected == null) {
            ctx.log().warn("no recorded sha256 for " + file + "; uploading it as it is now (" + now + ")");
            return now;
        }
        if (!expected.equalsIgnoreCase(now)) {
            throw new StepException("\"" + file.getFileName() + "\" changed after it was built: its sha256 is " + now
                    + ", the build recorded " + expected, "build again (python-build) and upload the new files; "
                    + "a file is uploaded only as it was built and checked");
        }
        return now;
    }
}
