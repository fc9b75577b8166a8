package io.slipway.runner.console;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every known secret value by {@code ***}. One instance per run, shared by the console,
 * the release log, the journal and the report, so a value registered anywhere is hidden everywhere.
 */
public final class Masker {

    /** Values shorter than this would mask ordinary words ("1", "on") and are not worth hiding. */
    private static final int MIN_LENGTH = 4;

    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || secrets.contains(secret)) {
            return;
        }
        secrets.add(secret);
        // Longest first, so a secret containing another is masked whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }
}
