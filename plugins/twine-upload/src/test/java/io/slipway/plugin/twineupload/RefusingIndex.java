package io.slipway.plugin.twineupload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback index that refuses every upload with a status line of its own: PyPI gives its reason in
 * the HTTP reason phrase ({@code 400 File already exists. See ...}), which the JDK's HttpServer
 * cannot send. Reads get 404 (a project the index does not have).
 */
final class RefusingIndex implements AutoCloseable {

    private final ServerSocket socket;
    private final String status;
    private final AtomicInteger uploads = new AtomicInteger();

    /** @param status the status code and reason phrase, e.g. {@code 400 File already exists.} */
    RefusingIndex(String status) throws IOException {
        this.status = status;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "refusing-index");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/simple/";
    }

    /** How many uploads (POST requests) came. */
    int uploads() {
        return uploads.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                InputStream in = new BufferedInputStream(client.getInputStream());
                String request = line(in);
                long length = 0;
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(header.substring("content-length:".length()).strip());
                    }
                }
                in.skipNBytes(length);
                boolean upload = request.startsWith("POST ");
                if (upload) {
                    uploads.incrementAndGet();
                }
                String answer = "HTTP/1.1 " + (upload ? status : "404 Not Found")
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // the client went away, or the server is closing
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
