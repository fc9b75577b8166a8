package io.slipway.plugin.localindex;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PyPI-compatible index on 127.0.0.1, for rehearsals, tests and the demo: PEP 503/691 pages
 * and twine's upload API on the JDK's HTTP server ({@code com.sun.net.httpserver}). Reads are
 * anonymous; uploads need the credentials given to {@link #start(Path, String, String)}, or none
 * when started without.
 *
 * <pre>{@code
 * try (LocalIndex index = LocalIndex.start(tempDir)) {
 *     // twine upload --repository-url index.uploadUrl() ...; pip install --index-url index.simpleUrl() ...
 * }
 * }</pre>
 *
 * <p>Like PyPI: an unknown project is 404, other spellings of a name are redirected to the
 * normalized one, a file name cannot be uploaded twice with other content (the same content again
 * is a no-op), local versions are refused. See {@link IndexHandler} and {@link Uploads}.
 */
public final class LocalIndex implements AutoCloseable {

    /** Request threads: pip and twine send one request at a time; a few spare for parallel clients. */
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private final int port;
    private final Path storage;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalIndex(HttpServer server, ThreadPoolExecutor threads, Path storage) {
        this.server = server;
        this.threads = threads;
        this.port = server.getAddress().getPort();
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
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a port on 127.0.0.1 for the local index", e);
        }
        int port = server.getAddress().getPort();
        ThreadPoolExecutor threads = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("local-index-" + port + "-"));
        threads.allowCoreThreadTimeOut(true);
        server.setExecutor(threads);
        server.createContext("/", new IndexHandler(new Store(storage), username, password));
        server.start();
        return new LocalIndex(server, threads, storage);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
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
     * Stops the server (open connections are closed) and its threads, so that a JVM without other
     * work can exit. Closing again does nothing.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        // Waits for the dispatcher thread; a delay would wait out the whole delay on JDK 17.
        server.stop(0);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "local index " + simpleUrl() + " (" + storage + ")";
    }
}
