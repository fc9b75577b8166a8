package io.slipway.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The INI dialect Python's {@code RawConfigParser} reads, as used by {@code .pypirc} and
 * {@code setup.cfg}: {@code [section]}, {@code key = value} or {@code key: value} (keys lower-cased),
 * comment lines starting with # or ;, indented lines continuing the previous value (joined with a
 * newline), no interpolation. Hand-written because no Java INI library reads this dialect exactly.
 */
public final class IniFile {

    private IniFile() {
    }

    /** Section name to its keys and values, in file order. */
    public static Map<String, Map<String, String>> read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    public static Map<String, Map<String, String>> parse(List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String key = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && current != null && key != null) {
                current.merge(key, trimmed, (a, b) -> a.isEmpty() ? b : a + "\n" + b);
            } else if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = sections.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1).strip(),
                        s -> new LinkedHashMap<>());
                key = null;
            } else if (current != null) {
                int sep = firstSeparator(trimmed);
                key = (sep < 0 ? trimmed : trimmed.substring(0, sep)).strip().toLowerCase(Locale.ROOT);
                current.put(key, sep < 0 ? "" : trimmed.substring(sep + 1).strip());
            }
        }
        return sections;
    }

    /**
     * A multi-line value as setuptools reads a list ({@code packages}, {@code console_scripts}):
     * one item per line or comma, blanks dropped.
     */
    public static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String part : value.split("[\\n,]")) {
                if (!part.isBlank()) {
                    items.add(part.strip());
                }
            }
        }
        return items;
    }

    private static int firstSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    }
}
