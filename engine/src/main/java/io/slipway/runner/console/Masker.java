package io.slipway.runner.console;

import io.slipway.spi.UrlCredentials;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Hides credentials in text: every known secret value becomes {@code ***}, and every URL loses its
 * user info ({@code https://user:secret@host/} becomes {@code https://host/}, see
 * {@link UrlCredentials#strip}). One instance per command, made where it starts (cli.Main) and
 * shared by its console streams, the release log, the journal and the report, so a value
 * registered anywhere is hidden everywhere.
 */
public final class Masker {

    /** Values shorter than this would mask ordinary words ("1", "on") and are not worth hiding. */
    private static final int MIN_LENGTH = 4;
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|TOKEN|SECRET|API_KEY|PASSPHRASE).*");

    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> onAdd = s -> { };

    /** Called with each secret added from now on, e.g. to tell GitHub Actions to mask it too ({@code ::add-mask::}). */
    public void onAdd(Consumer<String> listener) {
        this.onAdd = listener;
    }

    /**
     * Masks the values of environment variables whose names say they hold credentials
     * (TWINE_PASSWORD, PYPI_TOKEN, ...), and the credentials written into URLs in any value.
     */
    public void addSecretsFrom(Map<String, String> env) {
        env.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                add(value);
            }
            addUrlCredentialsIn(value);
        });
    }

    /** Masks the secret of every URL with credentials in {@code text}, e.g. a {@code --set index-url=...}. */
    public void addUrlCredentialsIn(String text) {
        UrlCredentials.in(text).forEach(c -> add(c.secret()));
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
        return UrlCredentials.strip(out);
    }

    /**
     * A stream that writes to {@code target} masked, a whole line at a time, so that a secret
     * written in pieces is still recognised. A last line without a newline is written on close.
     */
    public PrintStream stream(PrintStream target) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    if (bytes[i] == '\n') {
                        emit();
                    } else {
                        line.write(bytes[i]);
                    }
                }
            }

            @Override
            public synchronized void close() {
                if (line.size() > 0) {
                    emit();
                }
                target.flush();
            }

            private void emit() {
                target.println(mask(line.toString(StandardCharsets.UTF_8)));
                target.flush();
                line.reset();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
