package io.slipway.spi;

/** The type of an input value as written in {@code release.kts}. */
public enum InputType {
    /** Any text. Numbers and booleans written in the script are accepted as their text. */
    STRING,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A whole number. */
    INTEGER,
    /**
     * A list of strings. A single string is accepted as a one-element list, and a map (e.g. another
     * step's file-to-URL output) as the list of its values.
     */
    LIST,
    /** A map of strings to strings. */
    MAP
}
