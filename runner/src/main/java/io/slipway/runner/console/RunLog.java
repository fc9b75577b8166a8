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
    private final boolean github;

    /**
     * @param github under GitHub Actions ({@code GITHUB_ACTIONS=true}): the console also gets
     *               {@code ::group::}, {@code ::error::} and {@code ::add-mask::} workflow commands
     */
    public RunLog(PrintStream console, Path logFile, Masker masker, boolean debug, boolean github) {
        this.console = console;
        this.masker = masker;
        this.debug = debug;
        this.github = github;
        if (github) {
            // The workflow log must learn each secret before it could appear there; only the console gets this line.
            masker.onAdd(secret -> {
                synchronized (this) {
                    console.println("::add-mask::" + secret);
                }
            });
        }
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
        if (github) {
            workflowCommand("::error::" + masker.mask(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"));
        }
    }

    /** Opens a collapsible group in the GitHub Actions log for a step. */
    public void group(String title) {
        if (github) {
            workflowCommand("::group::" + masker.mask(title));
        }
    }

    public void endGroup() {
        if (github) {
            workflowCommand("::endgroup::");
        }
    }

    private synchronized void workflowCommand(String line) {
        console.println(line);
        console.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
