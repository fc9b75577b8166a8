package io.slipway.runner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.URIish;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runner demo}: a whole release of the monorepo sample against a throwaway git remote and
 * Slipway's embedded index on 127.0.0.1, non-interactive with demo credentials, so a newcomer sees
 * every stage run for real without touching anything of theirs.
 */
@Command(name = "demo", description = "Release samples/monorepo end to end against a throwaway git remote and a loopback index.")
final class DemoCommand extends CliCommand {

    private static final Set<String> SKIP = Set.of(".slipway", "dist", "build", "__pycache__", ".pytest_cache");

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the demo repository (default: a new temp dir).")
    Path dir;

    @Option(names = "--python", paramLabel = "PATH", description = "Python with build, twine and venv (default: SLIPWAY_PYTHON, python3, /usr/bin/python3).")
    String python;

    @Option(names = "--version", paramLabel = "X", description = "The version the demo releases (default 1.0.0).")
    String version = "1.0.0";


    DemoCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        super(env, cwd, out, err);
    }

    @Override
    public Integer call() {
        try {
            return demo();
        } catch (UserError e) {
            return Main.report(e, err);
        } catch (IOException | GitAPIException e) {
            return Main.report(new UserError("the demo could not set up its repository: " + e.getMessage(),
                    "check that the temp dir is writable", 1), err);
        }
    }

    private int demo() throws UserError, IOException, GitAPIException {
        ReleaseVersion.check(version);
        Path sample = sample().orElseThrow(() -> new UserError("the monorepo sample is not where this runner expects it",
                "run the runner of a built distribution (bin/runner) or from the source tree", 2));
        String py = python().orElseThrow(() -> new UserError(
                "no Python interpreter with the build, twine and venv modules was found",
                "install them (Debian: apt-get install python3-build twine python3-venv) or pass --python PATH", 2));
        Path root = dir != null ? Files.createDirectories(at(dir)) : Files.createTempDirectory("slipway-demo-");
        Path remote = root.resolve("origin.git");
        Path work = root.resolve("acme");
        copy(sample, work);
        try (Git origin = Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call();
             Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("user", null, "name", "Slipway Demo");
            config.setString("user", null, "email", "demo@slipway.invalid");
            config.setString("branch", "main", "remote", "origin");
            config.setString("branch", "main", "merge", "refs/heads/main");
            config.save();
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Acme 0.4.0").call();
            git.tag().setName("v0.4.0").setAnnotated(true).setMessage("Release v0.4.0").call();
            git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toString())).call();
            git.push().setRemote("origin").add("main").setPushTags().call();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        out.println("demo: the monorepo sample is in " + work + ", its remote is " + remote);
        out.println("demo: releasing " + version + " with rehearsal and production on Slipway's local index");

        Map<String, String> demoEnv = new HashMap<>(env);
        // Demo credentials: the approval's credential policy accepts them, and the local index takes any.
        demoEnv.put("TWINE_USERNAME", "demo");
        demoEnv.put("TWINE_PASSWORD", "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)));
        demoEnv.remove("CI");
        List<String> args = new ArrayList<>(List.of(work.resolve("release.kts").toString(), "--version", version,
                "--set", "repository=local", "--set", "rehearsal-repository=local", "--non-interactive", "--python", py));
        int code = Main.run(args.toArray(String[]::new), demoEnv, cwd, out, err);

        Path journal = work.resolve(".slipway/release/" + version);
        out.println();
        out.println("demo: exit " + code + (code == 0 ? " (released)" : ""));
        out.println("  report:  " + journal.resolve("report.md"));
        out.println("  log:     " + work.resolve(".slipway/logs/release-" + version + ".log"));
        out.println("  journal: " + journal.resolve("journal.json"));
        out.println("  index:   " + work.resolve(".slipway/index/production") + " (files uploaded to the local index)");
        try (Git origin = Git.open(remote.toFile())) {
            List<String> tags = origin.tagList().call().stream().map(Ref::getName).map(n -> n.substring("refs/tags/".length())).toList();
            out.println("  tags on the remote: " + String.join(", ", tags));
        }
        out.println("  run it again: cd " + work + " && runner release.kts --version " + version
                + " --set repository=local --set rehearsal-repository=local --python " + py + "  (resumes; nothing is redone)");
        return code;
    }

    /** The sample in a distribution ($SLIPWAY_HOME/samples) or in the source tree of this runner. */
    private Optional<Path> sample() {
        Optional<Path> installed = Optional.ofNullable(env.get("SLIPWAY_HOME")).map(h -> at(Path.of(h, "samples", "monorepo")));
        Optional<Path> candidate = installed.isPresent() ? installed
                : io.slipway.runner.plugin.PluginDiscovery.sourceTreeOfThisRunner().map(r -> r.resolve("samples/monorepo"));
        return candidate.filter(p -> Files.isRegularFile(p.resolve("release.kts")));
    }

    /** The first interpreter that has what a release needs. */
    private Optional<String> python() {
        List<String> candidates = new ArrayList<>();
        if (python != null) {
            candidates.add(python);
        }
        Optional.ofNullable(env.get("SLIPWAY_PYTHON")).filter(s -> !s.isBlank()).ifPresent(candidates::add);
        candidates.addAll(List.of("python3", "/usr/bin/python3"));
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import build, twine, venv").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(c);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // Not installed under that name; try the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                String name = d.getFileName().toString();
                if (!d.equals(from) && (SKIP.contains(name) || name.endsWith(".egg-info"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
