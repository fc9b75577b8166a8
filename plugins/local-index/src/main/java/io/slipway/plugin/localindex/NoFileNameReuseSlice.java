package io.slipway.plugin.localindex;

import com.artipie.asto.Content;
import com.artipie.asto.ext.PublisherAs;
import com.artipie.http.Response;
import com.artipie.http.Slice;
import com.artipie.http.async.AsyncResponse;
import com.artipie.http.rq.RequestLineFrom;
import com.artipie.http.rq.RqMethod;
import com.artipie.http.rs.RsStatus;
import com.artipie.http.rs.RsWithBody;
import com.artipie.http.rs.RsWithStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;

/**
 * PyPI's file-name-reuse rule in front of Artipie's upload, which would overwrite: an upload whose
 * file name is already stored is answered like PyPI answers it — 200 without change when the
 * content is identical (PyPI treats that as a no-op), 400 "File already exists" otherwise.
 * Requests that are not authorised go straight to Artipie, which answers 401.
 */
final class NoFileNameReuseSlice implements Slice {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTENT_PART = Pattern.compile(
            "content-disposition:[^\\r\\n]*\\bname=\"content\"[^\\r\\n]*\\bfilename=\"([^\"]+)\"",
            Pattern.CASE_INSENSITIVE);

    private final Slice origin;
    private final Path storage;
    private final Predicate<Iterable<Map.Entry<String, String>>> authorised;

    NoFileNameReuseSlice(Slice origin, Path storage, Predicate<Iterable<Map.Entry<String, String>>> authorised) {
        this.origin = origin;
        this.storage = storage;
        this.authorised = authorised;
    }

    @Override
    public Response response(String line, Iterable<Map.Entry<String, String>> headers, Publisher<ByteBuffer> body) {
        Optional<String> type = header(headers, "content-type");
        if (new RequestLineFrom(line).method() != RqMethod.POST || type.isEmpty()
                || !type.get().toLowerCase(Locale.ROOT).startsWith("multipart/") || !authorised.test(headers)) {
            return origin.response(line, headers, body);
        }
        return new AsyncResponse(new PublisherAs(body).bytes().thenApply(bytes -> {
            Optional<Upload> upload = Upload.parse(type.get(), bytes);
            Optional<Path> existing = upload.flatMap(u -> stored(u.fileName()));
            if (existing.isEmpty()) {
                return origin.response(line, headers, new Content.From(bytes));
            }
            if (Arrays.equals(sha256(read(existing.get())), sha256(upload.get().content()))) {
                return new RsWithStatus(RsStatus.OK);
            }
            return new RsWithBody(new RsWithStatus(RsStatus.BAD_REQUEST),
                    "File already exists ('" + upload.get().fileName() + "', with other content)."
                            + " A file name can be uploaded once; release a new version.", StandardCharsets.UTF_8);
        }));
    }

    private Optional<Path> stored(String fileName) {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(f -> f.getFileName().toString().equals(fileName) && Files.isRegularFile(f)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<String> header(Iterable<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The distribution file of a twine/PyPI upload form: the part named {@code content}. */
    private record Upload(String fileName, byte[] content) {

        /** Reads the form as ISO-8859-1, which maps bytes to chars one to one, so offsets stay byte offsets. */
        static Optional<Upload> parse(String contentType, byte[] body) {
            Matcher boundary = BOUNDARY.matcher(contentType);
            if (!boundary.find()) {
                return Optional.empty();
            }
            String text = new String(body, StandardCharsets.ISO_8859_1);
            for (String part : text.split(Pattern.quote("--" + boundary.group(1)))) {
                int headEnd = part.indexOf("\r\n\r\n");
                Matcher content = headEnd < 0 ? null : CONTENT_PART.matcher(part.substring(0, headEnd));
                if (content != null && content.find()) {
                    String data = part.substring(headEnd + 4);
                    data = data.endsWith("\r\n") ? data.substring(0, data.length() - 2) : data;
                    return Optional.of(new Upload(content.group(1), data.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            return Optional.empty();
        }
    }
}
