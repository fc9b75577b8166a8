package io.slipway.plugin.localindex;

import com.artipie.asto.fs.FileStorage;
import com.artipie.http.Slice;
import com.artipie.http.auth.Authentication;
import com.artipie.http.slice.TrimPathSlice;
import com.artipie.pypi.http.PySlice;
import com.artipie.security.perms.Action;
import com.artipie.security.perms.AdapterBasicPermission;
import com.artipie.security.perms.FreePermissions;
import com.artipie.security.policy.Policy;
import com.artipie.vertx.VertxSliceServer;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.reactivex.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PermissionCollection;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A PyPI-compatible index on 127.0.0.1 (Artipie's PyPI adapter on Vert.x), for rehearsals, tests
 * and the demo. Reads are anonymous; uploads need the credentials given to {@link #start(Path,
 * String, String)}, or none when started without.
 *
 * <pre>{@code
 * try (LocalIndex index = LocalIndex.start(tempDir)) {
 *     // twine upload --repository-url index.uploadUrl() ...; pip install --index-url index.simpleUrl() ...
 * }
 * }</pre>
 *
 * <p>Differs from PyPI in what Artipie does not do: unknown projects get an empty page (200)
 * instead of 404, there is no JSON API, wheels with platform tags and local versions are refused
 * (400). Like PyPI, and unlike plain Artipie, a file name cannot be uploaded twice with other
 * content.
 */
public final class LocalIndex implements AutoCloseable {

    /** Artipie serves at the root; this maps {@code /simple/...} onto it, the path pip and twine expect. */
    private static final Pattern SIMPLE_PREFIX = Pattern.compile("^/(?:simple)(\\/.*)?");

    private final Vertx vertx;
    private final VertxSliceServer server;
    private final int port;
    private final Path storage;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalIndex(Vertx vertx, VertxSliceServer server, int port, Path storage) {
        this.vertx = vertx;
        this.server = server;
        this.port = port;
        this.storage = storage;
    }

    /** An index where anyone may upload, storing files under {@code storage}. */
    public static LocalIndex start(Path storage) {
        return start(storage, null, null);
    }

    /**
     * An index storing files under {@code storage} (created if missing; files already there are
     * served), on a free port of 127.0.0.1.
     *
     * @param username who may upload, or {@code null} to let anyone upload
     * @param password that user's password; required with a username
     */
    public static LocalIndex start(Path storage, String username, String password) {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("give both an upload username and password, or neither");
        }
        try {
            Files.createDirectories(storage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index storage " + storage, e);
        }
        LeftoverThreads.makeDaemon();
        Slice py = username == null
                ? new PySlice(new FileStorage(storage))
                : new PySlice(new FileStorage(storage), uploadsOnlyFor(username),
                        new Authentication.Single(username, password), "local-index", Optional.empty());
        Optional<String> expected = Optional.ofNullable(username).map(u -> "Basic " + Base64.getEncoder()
                .encodeToString((u + ":" + password).getBytes(StandardCharsets.UTF_8)));
        Slice slice = new TrimPathSlice(new UploadSlice(py, storage, headers -> expected.isEmpty()
                || expected.equals(UploadSlice.header(headers, "authorization"))), SIMPLE_PREFIX);
        Vertx vertx = Vertx.vertx();
        VertxSliceServer server = new VertxSliceServer(vertx, slice,
                new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        try {
            return new LocalIndex(vertx, server, server.start(), storage);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Everyone reads; only {@code username} writes. */
    private static Policy<PermissionCollection> uploadsOnlyFor(String username) {
        AdapterBasicPermission read = new AdapterBasicPermission("*", Action.Standard.READ);
        return user -> {
            if (username.equals(user.name())) {
                return new FreePermissions();
            }
            PermissionCollection readOnly = read.newPermissionCollection();
            readOnly.add(read);
            return readOnly;
        };
    }

    /** The simple index for pip: {@code http://127.0.0.1:PORT/simple/}. */
    public String simpleUrl() {
        return "http://127.0.0.1:" + port + "/simple/";
    }

    /** Where twine uploads ({@code --repository-url}); the same address as {@link #simpleUrl()}. */
    public String uploadUrl() {
        return simpleUrl();
    }

    public int port() {
        return port;
    }

    /** The directory holding the uploaded files. */
    public Path storage() {
        return storage;
    }

    /**
     * Stops the server and Vert.x and waits for their threads, so that a JVM without other work
     * can exit. Closing again does nothing.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        server.stop();
        try {
            vertx.getDelegate().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // Each upload leaves a single-thread executor in Artipie's multipart parser (MultiParts)
            // that only its finalizer shuts down; collect them so that their non-daemon threads end.
            System.gc();
            System.runFinalization();
            // Netty's global executor is non-daemon; it ends by itself about a second after its last task.
            GlobalEventExecutor.INSTANCE.awaitInactivity(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the local index at " + simpleUrl() + " did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "local index " + simpleUrl() + " (" + storage + ")";
    }
}
