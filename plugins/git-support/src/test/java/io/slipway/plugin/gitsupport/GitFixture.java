package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real repositories for each test, as a JUnit extension ({@code @RegisterExtension final GitFixture
 * fx = new GitFixture();}): in a fresh temporary folder, a bare {@code origin} with one commit on
 * main, the release's clone ({@link #git}), and on demand a colleague's clone that pushes while the
 * release runs. Everything is closed and deleted after the test.
 */
public final class GitFixture implements BeforeEachCallback, AfterEachCallback {

    public Path origin;
    public Path work;
    public Git git;
    private Path dir;
    private Git colleague;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("slipway-git-");
        origin = dir.resolve("origin.git");
        work = dir.resolve("work");
        try (Git bare = Git.init().setBare(true).setInitialBranch("main").setDirectory(origin.toFile()).call()) {
            withoutAutoGc(bare);
        }
        git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call();
        withoutAutoGc(git);
        identify(git, "Release Manager");
        git.remoteAdd().setName("origin").setUri(new URIish(origin.toUri().toString())).call();
        commit(git, "README.md", "# demo\n", "initial commit");
        push(git);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        git.close();
        if (colleague != null) {
            colleague.close();
            colleague = null;
        }
        deleteTree(dir);
    }

    /**
     * JGit's auto-gc runs in a background thread after a push or fetch (writing {@code gc.log.lock}
     * and packs while a test's cleanup deletes the folder); test repositories never need it.
     */
    public static void withoutAutoGc(Git repo) throws IOException {
        StoredConfig config = repo.getRepository().getConfig();
        config.setInt("gc", null, "auto", 0);
        config.save();
    }

    /** Deletes a folder tree, tolerating files that vanish underneath it (a process still tidying up). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                deleteTree(root); // something vanished during the walk: walk again
                return;
            }
            throw e;
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (DirectoryNotEmptyException e) {
                deleteTree(p); // something appeared inside since the walk
            }
        }
    }

    /** A folder next to the repositories, e.g. {@code path("state")} for a step's journal. */
    public Path path(String name) {
        return dir.resolve(name);
    }

    /** A second clone, made when first asked for, that pushes to origin on its own. */
    public Git colleague() {
        if (colleague == null) {
            colleague = cloneOrigin(dir.resolve("colleague"), "A Colleague");
        }
        return colleague;
    }

    /** Writes a file in a clone and commits it. */
    public static RevCommit commit(Git clone, String file, String content, String message) {
        try {
            write(clone, file, content);
            clone.add().addFilepattern(file).call();
            return clone.commit().setMessage(message).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Git clone, String file, String content) {
        Path path = clone.getRepository().getWorkTree().toPath().resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes the clone's main to origin. */
    public static void push(Git clone) {
        try {
            clone.push().setRemote("origin").add("main").call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What origin's main points at. */
    public ObjectId originHead() {
        try (Git bare = Git.open(origin.toFile())) {
            return bare.getRepository().resolve("refs/heads/main");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a ref on origin points at, or null. */
    public ObjectId originRef(String ref) {
        try (Git bare = Git.open(origin.toFile())) {
            var r = bare.getRepository().exactRef(ref);
            return r == null ? null : r.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectId head() {
        try {
            return git.getRepository().resolve(Constants.HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs a {@code pre-receive} hook in origin and makes the release clone push through the
     * real {@code git-receive-pack}: JGit's in-process file:// transport runs no server-side hooks,
     * but forks the program named by {@code remote.origin.receivepack} when it is not the default.
     */
    public void rejectPushes(String script) {
        try {
            Path hook = origin.resolve("hooks/pre-receive");
            Files.createDirectories(hook.getParent());
            Files.writeString(hook, "#!/bin/sh\n" + script + "\n");
            hook.toFile().setExecutable(true);
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "receivepack", "/usr/bin/git-receive-pack");
            config.save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes origin's git-receive-pack stop offering atomic pushes, like some older servers. */
    public void withoutAtomicPushes() {
        try (Git bare = Git.open(origin.toFile())) {
            StoredConfig config = bare.getRepository().getConfig();
            config.setBoolean("receive", null, "advertiseAtomic", false);
            config.save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Git cloneOrigin(Path target, String name) {
        try {
            Git clone = Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(target.toFile()).call();
            withoutAutoGc(clone);
            identify(clone, name);
            return clone;
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void identify(Git clone, String name) throws IOException {
        StoredConfig config = clone.getRepository().getConfig();
        config.setString("user", null, "name", name);
        config.setString("user", null, "email", name.toLowerCase().replace(' ', '.') + "@example.com");
        config.save();
    }

}
