package io.slipway.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.URIish;

/**
 * The monorepo sample of the distribution as a user's repository: a git work tree at 0.4.0
 * (tagged v0.4.0) with a bare remote, released to 1.0.0 with the embedded index standing in for
 * the rehearsal and production indexes; with its own release.kts ({@link #create(Path)}) or with
 * the reference pipeline ({@link #referencePipeline}).
 */
public final class SampleRepo {

    static final String VERSION = "1.0.0";
    /** The source tree (failsafe runs in the distribution module). */
    private static final Path SOURCE = Path.of("..").toAbsolutePath().normalize();
    /** The --set options of the sample's own script: both indexes local. */
    private static final List<String> BOTH_INDEXES_LOCAL = List.of("--set", "repository=local", "--set", "rehearsal-repository=local");

    public final Path work;
    public final Path remote;
    /** The --set options {@link #command} releases with. */
    final List<String> options;

    SampleRepo(Path work, Path remote) {
        this(work, remote, BOTH_INDEXES_LOCAL);
    }

    SampleRepo(Path work, Path remote, List<String> options) {
        this.work = work;
        this.remote = remote;
        this.options = List.copyOf(options);
    }

    /** A copy of samples/monorepo (as the distribution ships it) in dir/acme, committed and pushed to dir/origin.git. */
    static SampleRepo create(Path dir) throws Exception {
        return create(dir, Runner.HOME.resolve("samples/monorepo"), "v0.4.0");
    }

    /**
     * samples/monorepo at 0.4.0 with the reference pipeline (the root release.kts) in place of its own
     * script, committed and pushed; released with production on the embedded index, offline builds, and
     * the rehearsal given: {@code local} (upload to a second embedded index and the clean-venv smoke check)
     * or {@code none}. The reference pipeline has no editable-install smoke check and makes one release commit.
     */
    static SampleRepo referencePipeline(Path dir, String rehearsal) throws Exception {
        SampleRepo sample = create(Files.createDirectories(dir), SOURCE.resolve("samples/monorepo"), "v0.4.0");
        Files.copy(SOURCE.resolve("release.kts"), sample.work.resolve("release.kts"), StandardCopyOption.REPLACE_EXISTING);
        try (Git git = Git.open(sample.work.toFile())) {
            git.commit().setAll(true).setMessage("Use the reference pipeline").call();
            git.push().setRemote("origin").add("main").call();
        }
        return new SampleRepo(sample.work, sample.remote, List.of("--set", "repository=local",
                "--set", "rehearsal-repository=" + rehearsal, "--set", "build-args=--no-isolation"));
    }

    /**
     * A copy of a sample, plus {@code alsoCommitted} files at its root, in dir/acme, committed,
     * tagged {@code previousTag} and pushed to dir/origin.git.
     */
    public static SampleRepo create(Path dir, Path sample, String previousTag, Path... alsoCommitted) throws Exception {
        SampleRepo repo = new SampleRepo(dir.resolve("acme"), dir.resolve("origin.git"));
        try (Stream<Path> files = Files.walk(sample)) {
            for (Path f : files.toList()) {
                Path to = repo.work.resolve(sample.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        for (Path f : alsoCommitted) {
            Files.copy(f, repo.work.resolve(f.getFileName().toString()));
        }
        try (Git origin = Git.init().setBare(true).setDirectory(repo.remote.toFile()).setInitialBranch("main").call();
             Git git = Git.init().setDirectory(repo.work.toFile()).setInitialBranch("main").call()) {
            // No background auto-gc racing the test's cleanup of the temp folder.
            StoredConfig remoteConfig = origin.getRepository().getConfig();
            remoteConfig.setInt("gc", null, "auto", 0);
            remoteConfig.save();
            StoredConfig config = git.getRepository().getConfig();
            config.setInt("gc", null, "auto", 0);
            config.setString("user", null, "name", "Release Tester");
            config.setString("user", null, "email", "release@slipway.invalid");
            config.setString("branch", "main", "remote", "origin");
            config.setString("branch", "main", "merge", "refs/heads/main");
            config.save();
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Release " + previousTag).call();
            git.tag().setName(previousTag).setAnnotated(true).setMessage("Release " + previousTag).call();
            git.remoteAdd().setName("origin").setUri(new URIish(repo.remote.toUri().toString())).call();
            git.push().setRemote("origin").add("main").setPushTags().call();
        }
        return repo;
    }

    /** The release command of the sample with its options, non-interactive; extra arguments appended. */
    List<String> command(String... extra) {
        List<String> args = new ArrayList<>(List.of("release.kts", "--version", VERSION));
        args.addAll(options);
        args.addAll(List.of("--non-interactive", "--python", Runner.PYTHON));
        args.addAll(List.of(extra));
        return args;
    }

    Runner start(Map<String, String> env, String... extra) throws IOException {
        return Runner.start(work, env, command(extra));
    }

    Runner.Result release(Map<String, String> env, String... extra) throws Exception {
        return Runner.run(work, env, command(extra));
    }

    JsonNode journal() throws IOException {
        return new ObjectMapper().readTree(work.resolve(".slipway/release/" + VERSION + "/journal.json").toFile());
    }

    JsonNode step(String address) throws IOException {
        return journal().path("steps").path(address);
    }

    /** python-build's sha256 output as file name → sha256. */
    Map<String, String> builtSha256() throws IOException {
        Map<String, String> byName = new TreeMap<>();
        step("build/python-build").path("outputs").path("sha256").properties()
                .forEach(e -> byName.put(Path.of(e.getKey()).getFileName().toString(), e.getValue().asText()));
        return byName;
    }

    /** The storage of the local index the release.kts starts for production. */
    Path productionIndex() {
        return work.resolve(".slipway/index/production");
    }

    Path rehearsalIndex() {
        return work.resolve(".slipway/index/rehearsal");
    }

    /** What each generation of the rehearsal index holds (one storage dir per build), as file name → sha256. */
    List<Map<String, String>> rehearsalGenerations() throws IOException {
        List<Map<String, String>> generations = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(rehearsalIndex())) {
            for (Path generation : dirs.filter(Files::isDirectory).sorted().toList()) {
                generations.add(indexFiles(generation));
            }
        }
        return generations;
    }

    /**
     * Every file an index storage holds (one dir per project), as file name → sha256; the index's
     * record of accepted uploads ({@code <storage>.uploads}, beside a generation's storage) is not one.
     */
    static Map<String, String> indexFiles(Path storage) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(storage)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(storage)) {
            for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".uploads")).toList()) {
                String previous = files.put(f.getFileName().toString(), sha256(f));
                if (previous != null) {
                    throw new AssertionError(storage + " holds " + f.getFileName() + " twice");
                }
            }
        }
        return files;
    }

    /** Every file below root except the .git and .slipway dirs, as relative path → sha256. */
    public static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (!rel.startsWith(".git/") && !rel.startsWith(".slipway/")) {
                    files.put(rel, sha256(f));
                }
            }
        }
        return files;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectId remoteHead() throws IOException {
        try (Git origin = Git.open(remote.toFile())) {
            return origin.getRepository().resolve("refs/heads/main");
        }
    }

    List<String> remoteTags() throws Exception {
        try (Git origin = Git.open(remote.toFile())) {
            return origin.tagList().call().stream().map(Ref::getName)
                    .map(n -> n.substring(Constants.R_TAGS.length())).sorted().toList();
        }
    }
}
