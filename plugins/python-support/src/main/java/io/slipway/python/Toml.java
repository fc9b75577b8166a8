package io.slipway.python;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.slipway.python.project.InspectionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading TOML ({@code pyproject.toml}, {@code towncrier.toml}) with a real parser, Jackson's, the
 * one place the project reads TOML. Format-preserving edits are the fixtures plugin's TomlDocument.
 */
public final class Toml {

    private static final TomlMapper MAPPER = new TomlMapper();

    private Toml() {
    }

    /** The file as a tree; a syntax error is one sentence naming the file. */
    public static JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw InspectionException.unreadable(file, e);
        }
        return parse(text, file.toString());
    }

    public static JsonNode parse(String text, String fileName) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InspectionException(fileName + " is not valid TOML: " + e.getOriginalMessage(),
                    "fix the file so that python -m build can read it");
        }
    }

    /** The string at a key path, e.g. {@code text(root, "project", "name")}; empty if absent or not a string. */
    public static Optional<String> text(JsonNode root, String... path) {
        JsonNode node = at(root, path);
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** The strings at a key path: a list's string items, or a single string as one item. */
    public static List<String> strings(JsonNode root, String... path) {
        JsonNode node = at(root, path);
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(item -> {
            if (item.isTextual()) {
                out.add(item.asText());
            }
        });
        return out;
    }

    /** The node at a key path; a missing node when any part is absent. */
    public static JsonNode at(JsonNode root, String... path) {
        JsonNode node = root;
        for (String key : path) {
            node = node.path(key);
        }
        return node;
    }
}
