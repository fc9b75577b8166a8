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
import io.slipway.python.DistributionFile;
import io.slipway.python.Pep440Version;
import io.slipway.python.ProjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;

/**
 * Takes twine's uploads the way PyPI does, in place of Artipie's upload: Artipie's file-name check
 * knows only versions of digits, letters and dots, so it refuses valid PEP 440 versions such as
 * {@code 1!2.0} (an epoch), and it overwrites a file uploaded again. Here an upload is
 * <ul>
 *   <li>refused (400, the reason in the body) when its file is not a wheel or sdist of the form's
 *   {@code name} and {@code version}, or has a local version (PyPI refuses those);</li>
 *   <li>a no-op (200) when a file of that name is stored with the same content, refused (400
 *   "File already exists") with other content;</li>
 *   <li>otherwise stored as {@code <normalized project>/<file name>}, where Artipie's index pages
 *   and downloads find it (201).</li>
 * </ul>
 * Requests that are not authorised go to Artipie, which answers 401. Every upload it takes is
 * appended to {@code <storage>.uploads} beside the storage, one line each ({@code <file> <sha256>
 * stored} or {@code ... same-again}): the count of what the index accepted, for whoever needs to
 * prove a file was sent once.
 */
final class UploadSlice implements Slice {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile(
            "content-disposition:[^\\r\\n]*\\bname=\"([^\"]*)\"(?:[^\\r\\n]*\\bfilename=\"([^\"]*)\")?",
            Pattern.CASE_INSENSITIVE);

    private final Slice origin;
    private final Path storage;
    private final Predicate<Iterable<Map.Entry<String, String>>> authorised;

    UploadSlice(Slice origin, Path storage, Predicate<Iterable<Map.Entry<String, String>>> authorised) {
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
            try {
                return store(Form.parse(type.get(), bytes));
            } catch (Refused e) {
                return new RsWithBody(new RsWithStatus(RsStatus.BAD_REQUEST), e.getMessage(), StandardCharsets.UTF_8);
            }
        }));
    }

    /** One upload at a time, so two uploads of one file name cannot both find it free. */
    private synchronized Response store(Form form) throws Refused {
        Form.Part content = form.part("content").filter(p -> p.fileName() != null)
                .orElseThrow(() -> new Refused("The upload has no file (a form part named content)."));
        DistributionFile file;
        ProjectName project;
        Pep440Version version;
        try {
            file = DistributionFile.parse(content.fileName());
            project = ProjectName.of(form.text("name"));
            version = Pep440Version.parse(form.text("version"));
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        if (!file.project().sameProjectAs(project) || !file.version().equals(version)) {
            throw new Refused("The file name " + file.fileName() + " does not match the upload's project " + project
                    + " and version " + version + ".");
        }
        if (version.isLocal()) {
            throw new Refused("Local versions cannot be uploaded (" + version + "), as on PyPI.");
        }
        Path target = storage.resolve(project.normalized()).resolve(file.fileName());
        try {
            Optional<Path> existing = stored(file.fileName());
            if (existing.isPresent()) {
                if (Arrays.equals(sha256(Files.readAllBytes(existing.get())), sha256(content.data()))) {
                    record(file.fileName(), content.data(), "same-again");
                    return new RsWithStatus(RsStatus.OK);
                }
                throw new Refused("File already exists ('" + file.fileName() + "', with other content)."
                        + " A file name can be uploaded once; release a new version.");
            }
            // Written beside the storage's projects and moved in whole: the index never lists half a file.
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(storage, ".upload-", ".part");
            Files.write(part, content.data());
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            record(file.fileName(), content.data(), "stored");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RsWithStatus(RsStatus.CREATED);
    }

    private synchronized void record(String fileName, byte[] data, String what) throws IOException {
        Files.writeString(storage.resolveSibling(storage.getFileName() + ".uploads"),
                fileName + " " + java.util.HexFormat.of().formatHex(sha256(data)) + " " + what + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Optional<Path> stored(String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(f -> f.getFileName().toString().equals(fileName) && Files.isRegularFile(f)).findFirst();
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Why an upload is refused, in one sentence for the client. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** A multipart/form-data upload as twine sends it: the file in the part named {@code content}, metadata in the others. */
    private record Form(Map<String, Part> parts) {

        record Part(String fileName, byte[] data) {
        }

        Optional<Part> part(String name) {
            return Optional.ofNullable(parts.get(name));
        }

        String text(String name) throws Refused {
            return part(name).map(p -> new String(p.data(), StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty())
                    .orElseThrow(() -> new Refused("The upload has no " + name + " (a form part named " + name + ")."));
        }

        /** Reads the form as ISO-8859-1, which maps bytes to chars one to one, so offsets stay byte offsets. */
        static Form parse(String contentType, byte[] body) throws Refused {
            Matcher boundary = BOUNDARY.matcher(contentType);
            if (!boundary.find()) {
                throw new Refused("The upload's content type has no multipart boundary.");
            }
            Map<String, Part> parts = new HashMap<>();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            for (String part : text.split(Pattern.quote("--" + boundary.group(1)))) {
                int headEnd = part.indexOf("\r\n\r\n");
                Matcher field = headEnd < 0 ? null : FIELD.matcher(part.substring(0, headEnd));
                if (field != null && field.find()) {
                    String data = part.substring(headEnd + 4);
                    data = data.endsWith("\r\n") ? data.substring(0, data.length() - 2) : data;
                    String fileName = field.group(2) == null ? null
                            : new String(field.group(2).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                    parts.putIfAbsent(field.group(1), new Part(fileName, data.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            return new Form(parts);
        }
    }
}
