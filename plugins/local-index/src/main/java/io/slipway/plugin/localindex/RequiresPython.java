package io.slipway.plugin.localindex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code Requires-Python} of a stored distribution, read from the core metadata inside it (a
 * wheel's {@code *.dist-info/METADATA}, an sdist's {@code PKG-INFO}): the same value twine sends as
 * {@code requires_python} and PyPI shows as {@code data-requires-python}, without keeping anything
 * beside the files. Empty when the file declares none or cannot be read.
 */
final class RequiresPython {

    private static final Pattern WHEEL_METADATA = Pattern.compile("[^/]+\\.dist-info/METADATA");
    private static final Pattern SDIST_METADATA = Pattern.compile("[^/]+/PKG-INFO");
    private static final int METADATA_LIMIT = 1024 * 1024;

    private RequiresPython() {
    }

    static Optional<String> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".whl")) {
                return fromZip(file, WHEEL_METADATA);
            }
            if (name.endsWith(".zip")) {
                return fromZip(file, SDIST_METADATA);
            }
            if (name.endsWith(".tar.gz")) {
                return fromTarGz(file);
            }
        } catch (IOException | RuntimeException e) {
            // a file that cannot be read as an archive is still served, without the attribute
        }
        return Optional.empty();
    }

    private static Optional<String> fromZip(Path file, Pattern metadata) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (metadata.matcher(entry.getName()).matches()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        return header(in.readNBytes(METADATA_LIMIT));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Walks the tar's 512-byte headers (ustar, with GNU long names) to {@code <dir>/PKG-INFO}. */
    private static Optional<String> fromTarGz(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 64 * 1024)) {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) {
                    return Optional.empty();
                }
                String name = longName != null ? longName : text(header, 0, 100);
                longName = null;
                if ("ustar".equals(text(header, 257, 5)) && header[345] != 0 && name.equals(text(header, 0, 100))) {
                    name = text(header, 345, 155) + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).strip().isEmpty() ? "0" : text(header, 124, 12).strip(), 8);
                long padded = (size + 511) / 512 * 512;
                byte type = header[156];
                if (type == 'L' && size <= 4096) {
                    byte[] content = in.readNBytes((int) padded);
                    longName = text(content, 0, (int) size);
                } else if ((type == '0' || type == 0) && SDIST_METADATA.matcher(name).matches() && size <= METADATA_LIMIT) {
                    return header(in.readNBytes((int) size));
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
    }

    /** A NUL-terminated ASCII field of a tar header. */
    private static String text(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < block.length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** The {@code Requires-Python} header of core metadata (RFC 822 style headers up to the first blank line). */
    private static Optional<String> header(byte[] metadata) {
        for (String line : new String(metadata, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Requires-Python")) {
                String value = line.substring(colon + 1).strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
