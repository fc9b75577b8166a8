package io.slipway.runner.console;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Where a run's lines go: the console (plain lines, no timestamps, fit for CI logs) and the release
 * log file (timestamped, appended across resumed runs). Every line passes the {@link Masker} first.
 */
public final class RunLog implements AutoCloseable {

    /** How much a line matters; DETAIL goes to the console only with --debug. */
    public enum Level { INFO, WARN, ERROR, DETAIL }

    private final PrintStream console;
    private final BufferedWriter file;
    private final Masker masker;
    private final boolean debug;

    public RunLog(PrintStream console, Path logFile, Masker masker, boolean debug) {
        this.console = console;
        this.masker = masker;
        this.debug = debug;
        try {
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                this.file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } else {
                this.file = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the release log " + logFile, e);
        }
    }

    public Masker masker() {
        return masker;
    }

    public void line(Level level, String text) {
        String masked = masker.mask(text);
        synchronized (this) {
            if (level != Level.DETAIL || debug) {
                console.println(switch (level) {
                    case WARN -> "warning: " + masked;
                    case ERROR -> "error: " + masked;
                    default -> masked;
                });
                console.flush();
            }
            if (file != null) {
                try {
                    file.write(OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                    file.write(' ');
                    file.write(level.name());
                    file.write(' ');
                    file.write(masked);
                    file.newLine();
                    file.flush();
                } catch (IOException e) {
                    console.println("warning: cannot write the release log: " + e.getMessage());
                }
            }
        }
    }

    public void info(String text) {
        line(Level.INFO, text);
    }

    public void warn(String text) {
        line(Level.WARN, text);
    }

    public void error(String text) {
        line(Level.ERROR, text);
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
