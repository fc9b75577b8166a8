import io.slipway.plugin.localindex.LocalIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start time of Slipway's embedded index (plugins/local-index): from LocalIndex.start() to the
 * first 200 answer on /simple/, then close() (timed too); ROUNDS times in this JVM, the first one
 * cold (the index's class loading included), the others warm. The request is written on a plain
 * socket, so that no HTTP client's class loading is counted. Prints one line per round and the
 * JVM's whole run time. Run with the Java source launcher against a packaged distribution:
 * java -cp "$SLIPWAY_HOME/lib/*:$SLIPWAY_HOME/plugins/local-index/lib/*" bench/LocalIndexStart.java [ROUNDS]
 */
public class LocalIndexStart {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int round = 1; round <= rounds; round++) {
            Path storage = Files.createTempDirectory("index-start");
            long start = System.nanoTime();
            LocalIndex index = LocalIndex.start(storage);
            long started = System.nanoTime();
            try {
                String status = "";
                while (!status.startsWith("HTTP/1.1 200")) {
                    try {
                        status = statusLine(index.port());
                    } catch (IOException e) {
                        Thread.sleep(5);
                    }
                    if (System.nanoTime() - start > 30_000_000_000L) {
                        throw new IllegalStateException("no 200 on " + index.simpleUrl() + " within 30 s (last " + status + ")");
                    }
                }
                System.out.printf("round %d: start() to first 200 on /simple/ %.1f ms (start() returned after %.1f ms)",
                        round, (System.nanoTime() - start) / 1e6, (started - start) / 1e6);
            } finally {
                long closing = System.nanoTime();
                index.close();
                System.out.printf(", close() %.1f ms%n", (System.nanoTime() - closing) / 1e6);
            }
            Files.delete(storage);
        }
        System.out.printf("JVM up %d ms%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    }

    /** GET /simple/ on a fresh connection; the status line of the answer. */
    private static String statusLine(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /simple/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
