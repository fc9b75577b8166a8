package io.slipway.plugin.pypicheck;

import io.slipway.python.Summary;
import io.slipway.python.IndexClient;
import io.slipway.python.IndexException;
import io.slipway.python.IndexFile;
import io.slipway.python.Pep440Version;
import io.slipway.python.ProjectFiles;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Before anything is built: is the version one that can be released to the index? Valid PEP 440,
 * not a local version, not a forbidden pre-release, not older than the repository's version, newer
 * than the index's newest release, and not on the index already. Reads only, so it is safe to run
 * again at any time.
 */
@Extension
public class VersionCheck implements StepType {

    @Override
    public String id() {
        return "pypi-check";
    }

    @Override
    public String description() {
        return "Checks that the release version is valid PEP 440, newer than what the repository and the index have,"
                + " and not on the index yet.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.required("packages", InputType.LIST, "project names to check, e.g. acme-core"),
                InputSpec.optional("index", InputType.STRING, "pypi",
                        "pypi, testpypi, or the URL of a simple index (e.g. a local-index step's url output)"),
                InputSpec.optional("version", InputType.STRING, null, "the version to check; default: the release version"),
                InputSpec.optional("current-version", InputType.STRING, null,
                        "the version the repository carries now; the release must not be older"),
                InputSpec.optional("allow-prerelease", InputType.BOOLEAN, true,
                        "whether alpha, beta, rc and dev versions may be released"),
                InputSpec.optional("allow-backport", InputType.BOOLEAN, false,
                        "whether the version may be older than the index's newest release (a maintenance line)"),
                InputSpec.optional("timeout-seconds", InputType.INTEGER, 30,
                        "how long to wait for the index to connect and to answer each request (4 attempts on timeouts and 5xx)")
                        .withCheck(InputCheck.range(1, 3600)),
                InputSpec.optional("index-username", InputType.STRING, null, "user for a private index"),
                InputSpec.optional("index-password", InputType.STRING, null, "password or token for a private index")
                        .asSecret());
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("newest", InputType.MAP,
                "for each package, the newest release on the index, or an empty string if it has none"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String text = ctx.optionalString("version").orElse(ctx.version());
        Pep440Version version = parse(text, "version");
        if (version.isLocal()) {
            throw new StepException("version \"" + text + "\" has a local label (+" + String.join(".", version.local())
                    + "), which PyPI refuses", "release the public version " + version.publicVersion()
                    + "; a setuptools-scm build gets one only from a clean tree at its tag");
        }
        if (version.isPreRelease() && !ctx.bool("allow-prerelease")) {
            throw new StepException("version " + version + " is a pre-release, and allow-prerelease is false",
                    "release a final version, or set allow-prerelease = true");
        }
        Optional<String> current = ctx.optionalString("current-version");
        if (current.isPresent() && version.compareTo(parse(current.get(), "current-version")) < 0) {
            throw new StepException("version " + version + " is older than the repository's version " + current.get(),
                    "release a version after " + current.get());
        }
        IndexClient index = client(ctx);
        List<String> problems = new ArrayList<>();
        Map<String, String> newest = new LinkedHashMap<>();
        for (String name : ctx.list("packages")) {
            checkOnIndex(ctx, index, name, version, problems, newest);
        }
        ctx.output("newest", newest);
        if (!problems.isEmpty()) {
            return StepResult.failure(String.join("; ", problems),
                    "a file name can be uploaded only once: release a new version"
                            + (ctx.bool("allow-backport") ? "" : ", or, for a maintenance release, set the step's allow-backport input to true (the reference pipeline: --set backport=true)"));
        }
        return StepResult.success(version + " is new on " + index.simpleUrl() + " for " + Summary.join(", ", ctx.list("packages")));
    }

    private static void checkOnIndex(StepContext ctx, IndexClient index, String name, Pep440Version version,
                                     List<String> problems, Map<String, String> newest) throws StepException {
        if (!ProjectName.isValid(name)) {
            throw new StepException("package \"" + name + "\" is not a valid Python project name",
                    "list project names as in pyproject.toml [project] name, e.g. acme-core");
        }
        Optional<ProjectFiles> listed;
        try {
            listed = index.files(name);
        } catch (IndexException e) {
            throw new StepException("cannot read " + name + " from the index: " + e.getMessage(),
                    e.status() == 401 || e.status() == 403 ? "give index-username and index-password for a private index"
                            : "check the index address and the network, then run again", e);
        }
        Optional<Pep440Version> newestRelease = listed.flatMap(ProjectFiles::newestRelease);
        newest.put(name, newestRelease.map(Object::toString).orElse(""));
        if (listed.isEmpty()) {
            ctx.log().info(name + ": not on " + index.simpleUrl() + " yet (first release)");
            return;
        }
        List<IndexFile> existing = listed.get().filesOf(version);
        if (!existing.isEmpty()) {
            problems.add(name + " " + version + " is already on " + index.simpleUrl() + ": "
                    + String.join(", ", existing.stream().map(IndexFile::fileName).toList()));
        } else if (newestRelease.isPresent() && version.compareTo(newestRelease.get()) < 0 && !ctx.bool("allow-backport")) {
            problems.add(name + " " + version + " is older than " + newestRelease.get() + ", the newest release on "
                    + index.simpleUrl());
        } else {
            // A pre-release newer than the newest final release is worth naming: "none" alone would hide 1.0.0rc1.
            Optional<Pep440Version> newerPreRelease = listed.get().newestPreRelease()
                    .filter(pre -> newestRelease.map(release -> pre.compareTo(release) > 0).orElse(true));
            ctx.log().info(name + ": newest final release on the index " + newestRelease.map(Object::toString).orElse("none")
                    + newerPreRelease.map(pre -> ", newest pre-release " + pre).orElse("") + "; " + version + " is free");
        }
    }

    private static IndexClient client(StepContext ctx) throws StepException {
        URI url;
        try {
            url = IndexClient.resolve(ctx.string("index"));
        } catch (IllegalArgumentException e) {
            throw new StepException("input index: " + e.getMessage(), "use pypi, testpypi or a simple index URL");
        }
        IndexClient.Builder builder = IndexClient.builder(url).timeout(Duration.ofSeconds(ctx.integer("timeout-seconds")));
        Optional<String> user = ctx.optionalString("index-username");
        Optional<String> password = ctx.optionalString("index-password");
        if (user.isPresent() != password.isPresent()) {
            throw new StepException("index-username and index-password must be given together",
                    "give both for a private index, or neither");
        }
        user.ifPresent(u -> builder.credentials(u, password.get()));
        return builder.build();
    }

    private static Pep440Version parse(String text, String input) throws StepException {
        try {
            return Pep440Version.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StepException(input + ": " + e.getMessage(),
                    "use a PEP 440 version such as 1.2.0, 1.2.0rc1 or 1.2.0.post1");
        }
    }
}
