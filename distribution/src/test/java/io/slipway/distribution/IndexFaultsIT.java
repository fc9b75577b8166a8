package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An index that refuses, rejects, fails or never answers stops a release at its preflight with one
 * sentence naming the index and what it did, exit 1, and nothing of the repository changed: the
 * runner as a process, pypi-check against a loopback server that misbehaves on purpose.
 */
@Tag("process")
class IndexFaultsIT {

    @TempDir
    Path dir;
    private HttpServer server;
    private ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (silent != null) {
            silent.close();
        }
        for (Socket s : held) {
            s.close();
        }
    }

    /** The index URL for a fault: a server answering every request with that status, a port nobody listens on, or one that never answers. */
    private String index(String fault) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        switch (fault) {
            case "refused" -> {
                try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                    return "http://127.0.0.1:" + probe.getLocalPort() + "/simple/";
                }
            }
            case "silent" -> {
                silent = new ServerSocket(0, 50, loopback);
                Thread t = new Thread(() -> {
                    while (!silent.isClosed()) {
                        try {
                            held.add(silent.accept()); // accepts the connection, never answers
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                return "http://127.0.0.1:" + silent.getLocalPort() + "/simple/";
            }
            default -> {
                int status = Integer.parseInt(fault);
                server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
                server.createContext("/", exchange -> {
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.start();
                return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused", "401", "403", "500", "silent"})
    void anIndexFaultStopsThePreflightWithOneSentenceAndNothingChanged(String fault) throws Exception {
        String url = index(fault);
        Path work = dir.resolve("repo");
        Files.createDirectories(work);
        Files.writeString(work.resolve("README.md"), "a project\n");
        // One script text for every fault (the index is a parameter), so it is compiled once.
        Files.writeString(work.resolve("release.kts"), """
                val index = param("index", "")
                pipeline("release") {
                    job("preflight") {
                        step("pypi-check") { input("packages", listOf("acme")); input("index", index); input("timeout-seconds", 2) }
                    }
                    job("prepare", needs = "preflight") { run("change", "echo changed > CHANGED.txt") }
                }
                """);
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.getRepository().getConfig().setInt("gc", null, "auto", 0);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("init").setAuthor("T", "t@slipway.invalid").setCommitter("T", "t@slipway.invalid").call();
        }
        Map<String, String> before = SampleRepo.tree(work);

        Runner.Result run = Runner.run(work, Map.of(), List.of("release.kts", "--version", "1.0.0", "--non-interactive", "--set", "index=" + url));

        assertEquals(1, run.exit(), run.summary());
        List<String> errors = new ArrayList<>(run.lines().stream().filter(l -> l.startsWith("error: ")).toList());
        assertEquals(1, errors.size(), run.summary());
        String expected = switch (fault) {
            case "refused" -> "could not connect";
            case "silent" -> "did not answer";
            default -> "answered HTTP " + fault;
        };
        assertTrue(errors.get(0).startsWith("error: preflight/pypi-check failed"), run.summary());
        assertTrue(errors.get(0).contains(url.replace("/simple/", "")), "names the index:\n" + run.summary());
        assertTrue(run.output().contains(expected), "says what the index did (" + expected + "):\n" + run.summary());
        assertTrue(run.has("hint: "), run.summary());
        assertFalse(run.output().contains("Exception") || run.output().contains("\tat "), "no stack trace:\n" + run.output());
        assertEquals(before, SampleRepo.tree(work), "nothing in the repository changed");
    }
}
