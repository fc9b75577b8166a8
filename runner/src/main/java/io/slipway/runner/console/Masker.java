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
    private volatile java.util.function.Consumer<String> onAdd = s -> { };

    /** Called with each new secret, e.g. to tell GitHub Actions to mask it too ({@code ::add-mask::}). */
    public void onAdd(java.util.function.Consumer<String> listener) {
        this.onAdd = listener;
    }

    private static final java.util.regex.Pattern SECRET_NAME =
            java.util.regex.Pattern.compile("(?i).*(PASSWORD|TOKEN|SECRET|API_KEY|PASSPHRASE).*");

    /** Masks the values of environment variables whose names say they hold credentials (TWINE_PASSWORD, PYPI_TOKEN, ...). */
    public void addSecretsFrom(java.util.Map<String, String> env) {
        env.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                add(value);
            }
        });
    }

    public void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || secrets.contains(secret)) {
            return;
        }
        secrets.add(secret);
        onAdd.accept(secret);
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
}
