package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;

/**
 * Real repositories for a test: a bare {@code origin}, the release's clone ({@link #git}) on
 * {@code main}, and on demand a colleague's clone that pushes while the release runs.
 */
public final class GitFixture implements AutoCloseable {

    public final Path origin;
    public final Path work;
    public final Git git;
    private final Path dir;
    private Git colleague;

    private GitFixture(Path dir) throws GitAPIException, IOException, URISyntaxException {
        this.dir = dir;
        this.origin = dir.resolve("origin.git");
        this.work = dir.resolve("work");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(origin.toFile()).call().close();
        this.git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call();
        identify(git, "Release Manager");
        git.remoteAdd().setName("origin").setUri(new URIish(origin.toUri().toString())).call();
        commit(git, "README.md", "# demo\n", "initial commit");
        push(git);
    }

    /** A bare origin with one commit on main and a clone of it. */
    public static GitFixture create(Path dir) {
        try {
            return new GitFixture(dir);
        } catch (GitAPIException | IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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

    @Override
    public void close() {
        git.close();
        if (colleague != null) {
            colleague.close();
        }
    }
}
