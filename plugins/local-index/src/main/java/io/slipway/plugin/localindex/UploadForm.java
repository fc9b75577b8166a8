package io.slipway.plugin.localindex;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} upload as twine sends it, read as a stream: the distribution file
 * (the part named {@code content}) goes to a temporary file as it arrives, hashed on the way, so
 * a large wheel never sits in memory; of the other parts only the few short fields the index
 * checks are kept (twine also sends the whole README as {@code description}, which is skipped).
 * Closing deletes the temporary file unless it was moved away.
 */
final class UploadForm implements AutoCloseable {

    /** The fields the index reads; any other part is skipped. */
    private static final Set<String> KEPT = Set.of("name", "version", "sha256_digest", ":action");
    private static final int FIELD_LIMIT = 64 * 1024;
    private static final int HEADER_LIMIT = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^\\s;]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern DISPOSITION = Pattern.compile("content-disposition:.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile(";\\s*name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILE_NAME = Pattern.compile(";\\s*filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> fields;
    private final String fileName;
    private final Path file;
    private final String sha256;

    private UploadForm(Map<String, String> fields, String fileName, Path file, String sha256) {
        this.fields = fields;
        this.fileName = fileName;
        this.file = file;
        this.sha256 = sha256;
    }

    /** A kept field, stripped; empty when missing or blank. */
    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The file name the {@code content} part gives, if the form has a file. */
    Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /** The uploaded file, written aside; present with {@link #fileName()}. */
    Path file() {
        return file;
    }

    /** The file's sha256, lower-case hex. */
    String sha256() {
        return sha256;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Reads the whole form from {@code body}, writing the file into {@code spoolDir}.
     *
     * @throws Refused when the body is not a complete multipart form
     */
    static UploadForm read(String contentType, InputStream body, Path spoolDir) throws Refused, IOException {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw new Refused("The upload's content type has no multipart boundary.");
        }
        Parts parts = new Parts(body, boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
        Map<String, String> fields = new HashMap<>();
        String fileName = null;
        Path file = null;
        String sha256 = null;
        try {
            parts.copyToDelimiter(OutputStream.nullOutputStream()); // the preamble
            while (parts.nextPart()) {
                String name = null;
                String partFile = null;
                for (String header = parts.line(); !header.isEmpty(); header = parts.line()) {
                    if (DISPOSITION.matcher(header).matches()) {
                        name = group(NAME, header);
                        partFile = group(FILE_NAME, header);
                    }
                }
                if ("content".equals(name) && partFile != null && file == null) {
                    fileName = partFile;
                    file = Files.createTempFile(spoolDir, "local-index-upload-", ".part");
                    MessageDigest digest = newDigest();
                    try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file)), digest)) {
                        parts.copyToDelimiter(out);
                    }
                    sha256 = HexFormat.of().formatHex(digest.digest());
                } else if (name != null && partFile == null && KEPT.contains(name) && !fields.containsKey(name)) {
                    ByteArrayOutputStream value = new ByteArrayOutputStream();
                    parts.copyToDelimiter(new OutputStream() {
                        @Override
                        public void write(int b) {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            if (value.size() + len > FIELD_LIMIT) {
                                throw new FieldTooLong();
                            }
                            value.write(b, off, len);
                        }
                    });
                    fields.put(name, value.toString(StandardCharsets.UTF_8));
                } else {
                    parts.copyToDelimiter(OutputStream.nullOutputStream());
                }
            }
            return new UploadForm(fields, fileName, file, sha256);
        } catch (FieldTooLong e) {
            deleteQuietly(file);
            throw new Refused("A form field of the upload is longer than " + FIELD_LIMIT + " bytes.");
        } catch (Refused | IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** The header's parameter as UTF-8 (the bytes were read one char each). */
    private static String group(Pattern pattern, String header) {
        Matcher m = pattern.matcher(header);
        return m.find() ? new String(m.group(1).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) : null;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover in the temporary directory; the refusal matters more
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static final class FieldTooLong extends RuntimeException {
        FieldTooLong() {
            super(null, null, false, false);
        }
    }

    /**
     * The body split at its delimiters ({@code CRLF--boundary}) through a fixed buffer: the bytes
     * of a part are handed on as soon as they cannot be the start of a delimiter.
     */
    private static final class Parts {
        private final InputStream in;
        private final byte[] delimiter;
        private final byte[] buffer;
        private int pos;
        private int limit;

        Parts(InputStream in, String boundary) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.buffer = new byte[Math.max(64 * 1024, 4 * delimiter.length)];
            // The first delimiter opens the body without a line break before it: read as if there were one.
            buffer[0] = '\r';
            buffer[1] = '\n';
            limit = 2;
        }

        /** Hands the bytes up to the next delimiter to {@code out} and steps over the delimiter. */
        void copyToDelimiter(OutputStream out) throws IOException, Refused {
            while (true) {
                int at = indexOfDelimiter();
                if (at >= 0) {
                    out.write(buffer, pos, at - pos);
                    pos = at + delimiter.length;
                    return;
                }
                int safe = Math.max(pos, limit - (delimiter.length - 1));
                out.write(buffer, pos, safe - pos);
                pos = safe;
                if (!more()) {
                    throw new Refused("The upload ends inside the form (its closing boundary is missing).");
                }
            }
        }

        /** After a delimiter: true if a part follows, false after the closing {@code --}. */
        boolean nextPart() throws IOException, Refused {
            String rest = line();
            if (rest.startsWith("--")) {
                return false;
            }
            if (!rest.isBlank()) {
                throw new Refused("The upload's form has text after a boundary.");
            }
            return true;
        }

        /** One line without its CRLF, bytes read as ISO-8859-1. */
        String line() throws IOException, Refused {
            StringBuilder line = new StringBuilder();
            while (true) {
                for (; pos < limit; pos++) {
                    if (buffer[pos] == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                        pos++;
                        return line.substring(0, line.length() - 1);
                    }
                    line.append((char) (buffer[pos] & 0xff));
                    if (line.length() > HEADER_LIMIT) {
                        throw new Refused("A header line of the upload's form is longer than " + HEADER_LIMIT + " bytes.");
                    }
                }
                if (!more()) {
                    // The closing "--" may end the body without a line break.
                    if (line.toString().startsWith("--")) {
                        return line.toString();
                    }
                    throw new Refused("The upload ends inside the form's headers.");
                }
            }
        }

        private int indexOfDelimiter() {
            outer:
            for (int i = pos; i <= limit - delimiter.length; i++) {
                for (int j = 0; j < delimiter.length; j++) {
                    if (buffer[i + j] != delimiter[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        /** Moves the unread bytes to the front and reads more; false at the end of the body. */
        private boolean more() throws IOException {
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buffer.length) {
                throw new IllegalStateException("the multipart buffer is full");
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
            return true;
        }
    }
}
