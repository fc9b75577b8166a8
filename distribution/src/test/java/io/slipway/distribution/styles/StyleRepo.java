package io.slipway.distribution.styles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import io.slipway.distribution.SampleRepo;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * One fixture project of src/test/resources/styles as a user's repository: the project and the
 * root release.kts committed at 1.4.0, tagged, pushed to a bare remote; released with
 * {@code bin/runner} against the embedded index, then inspected.
 *
 * <p>The repository is made as {@link SampleRepo} makes the samples'; the runs differ from
 * {@code io.slipway.distribution.Runner}'s (many at once, each console to a file) and so does the
 * inspection (commits, tags and files of the remote).
 */
final class StyleRepo {

    static final String VERSION = "1.5.0";
    /** Failsafe runs in the module directory; the pom packaging copies no test resources, so read the sources. */
    private static final Path FIXTURES = Path.of("src/test/resources/styles").toAbsolutePath();
    private static final Path RELEASE_KTS = Path.of("../release.kts").toAbsolutePath();
    private static final Path HOME = Path.of(System.getProperty("slipway.home", "target/slipway")).toAbsolutePath();
    private static final String PYTHON = "/usr/bin/python3";

    final Path work;
    final Path remote;
    final ObjectId initial;

    private StyleRepo(Path work, Path remote, ObjectId initial) {
        this.work = work;
        this.remote = remote;
        this.initial = initial;
    }

    /** The fixture plus release.kts in dir/acme, one commit tagged previousTag, pushed to dir/origin.git. */
    static StyleRepo create(String fixture, String previousTag, Path dir) throws Exception {
        SampleRepo repo = SampleRepo.create(dir, FIXTURES.resolve(fixture), previousTag, RELEASE_KTS);
        try (Git git = Git.open(repo.work.toFile())) {
            return new StyleRepo(repo.work, repo.remote, git.getRepository().resolve(Constants.HEAD));
        }
    }

    /**
     * {@code runner release.kts --version 1.5.0} with both indexes local, non-interactive, with the
     * credentials the approval policy accepts; returns the exit code, the console is in console.txt.
     */
    int release(List<String> extra) throws Exception {
        return release(extra, true);
    }

    /** As {@link #release(List)}, with or without the production credentials (without: the approval waits, exit 3). */
    int release(List<String> extra, boolean credentials) throws Exception {
        List<String> args = new ArrayList<>(List.of("release.kts", "--version", VERSION,
                "--set", "repository=local", "--non-interactive", "--python", PYTHON));
        args.addAll(extra);
        return runner(args, credentials);
    }

    /** {@code runner validate release.kts}: compiles the script into the shared cache. */
    int validate() throws Exception {
        return runner(List.of("validate", "release.kts", "--version", VERSION, "--set", "repository=local"), true);
    }

    private int runner(List<String> args, boolean credentials) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/runner").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.equals("CI") || k.startsWith("PIP_") || k.startsWith("TWINE_"));
        env.put("PIP_CONFIG_FILE", "/dev/null");
        if (credentials) {
            env.put("TWINE_USERNAME", "it");
            env.put("TWINE_PASSWORD", "it-secret-4711");
        }
        // The compile cache the other end-to-end tests use: release.kts is compiled once per test run.
        env.put("SLIPWAY_CACHE_DIR", HOME.resolveSibling("it-script-cache").toString());
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("runner " + args.get(0) + " in " + work + " did not end within 5 minutes");
        }
        return process.exitValue();
    }

    Path console() {
        return work.resolveSibling("console.txt");
    }

    String consoleText() throws IOException {
        return Files.readString(console(), StandardCharsets.UTF_8);
    }

    /** Writes a file and commits it, as a maintainer fixing something between two runs; returns the commit. */
    ObjectId commit(String path, String content, String message) throws Exception {
        Files.writeString(work.resolve(path), content, StandardCharsets.UTF_8);
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(path).call();
            return git.commit().setMessage(message).call().getId();
        }
    }

    /** The local HEAD commit. */
    ObjectId localHead() throws IOException {
        try (Git git = Git.open(work.toFile())) {
            return git.getRepository().resolve(Constants.HEAD);
        }
    }

    /** The commit a local tag marks, or null. */
    ObjectId localTag(String name) throws IOException {
        try (Git git = Git.open(work.toFile())) {
            return git.getRepository().resolve(Constants.R_TAGS + name + "^{commit}");
        }
    }

    /** Every ref of the work tree's repository (branches, tags, remote-tracking branches, HEAD) → the object it names. */
    Map<String, ObjectId> localRefs() throws IOException {
        try (Git git = Git.open(work.toFile())) {
            Map<String, ObjectId> refs = new TreeMap<>();
            for (Ref ref : git.getRepository().getRefDatabase().getRefs()) {
                refs.put(ref.getName(), ref.getObjectId());
            }
            Ref head = git.getRepository().exactRef(Constants.HEAD);
            refs.put(Constants.HEAD + " -> " + head.getTarget().getName(), head.getObjectId());
            return refs;
        }
    }

    /** The remote main branch's head commit. */
    RevCommit remoteHead() throws IOException {
        try (Git origin = Git.open(remote.toFile()); RevWalk walk = new RevWalk(origin.getRepository())) {
            return walk.parseCommit(origin.getRepository().resolve("refs/heads/main"));
        }
    }

    /** The paths a commit changed against its first parent, sorted. */
    List<String> changedFiles(RevCommit commit) throws IOException {
        try (Git origin = Git.open(remote.toFile());
             DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            Repository r = origin.getRepository();
            diff.setRepository(r);
            RevCommit parent;
            try (RevWalk walk = new RevWalk(r)) {
                parent = walk.parseCommit(commit.getParent(0));
            }
            return diff.scan(parent.getTree(), commit.getTree()).stream()
                    .map(e -> e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath())
                    .sorted().toList();
        }
    }

    /** A file's content in a commit of the remote. */
    String file(RevCommit commit, String path) throws IOException {
        try (Git origin = Git.open(remote.toFile());
             TreeWalk tw = TreeWalk.forPath(origin.getRepository(), path, commit.getTree())) {
            if (tw == null) {
                throw new AssertionError(path + " is not in " + commit.getName());
            }
            return new String(origin.getRepository().open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Tag name → the commit it tags, on the remote. */
    Map<String, ObjectId> remoteTags() throws Exception {
        try (Git origin = Git.open(remote.toFile())) {
            Map<String, ObjectId> tags = new TreeMap<>();
            for (Ref ref : origin.tagList().call()) {
                Ref peeled = origin.getRepository().getRefDatabase().peel(ref);
                tags.put(ref.getName().substring(Constants.R_TAGS.length()),
                        peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId());
            }
            return tags;
        }
    }

    /** Every path git status reports in the work tree (changed, staged or untracked; ignored files don't count). */
    List<String> status() throws Exception {
        try (Git git = Git.open(work.toFile())) {
            Status status = git.status().call();
            Set<String> paths = new TreeSet<>(status.getUncommittedChanges());
            paths.addAll(status.getUntracked());
            return List.copyOf(paths);
        }
    }

    /** Every file the production index stores. */
    List<Path> productionFiles() throws IOException {
        Path storage = work.resolve(".slipway/index/production");
        if (!Files.isDirectory(storage)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(storage)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The {@code Version:} of a wheel's METADATA. */
    static String wheelVersion(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry metadata = zip.stream().filter(e -> e.getName().endsWith(".dist-info/METADATA")).findFirst()
                    .orElseThrow(() -> new AssertionError(wheel + " has no .dist-info/METADATA"));
            try (InputStream in = zip.getInputStream(metadata)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> l.startsWith("Version: ")).findFirst()
                        .map(l -> l.substring("Version: ".length()).trim())
                        .orElseThrow(() -> new AssertionError(wheel + " METADATA has no Version"));
            }
        }
    }
}
