package io.slipway.runner.model;

/** A place in a script; column 0 when only the line is known. */
public record Location(String file, int line, int column) {

    public static final Location UNKNOWN = new Location("<unknown>", 0, 0);

    @Override
    public String toString() {
        return column > 0 ? file + ":" + line + ":" + column : line > 0 ? file + ":" + line : file;
    }
}
