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
import java.util.List;
import java.util.Map;

/**
 * Where a run's lines go: the console (a {@link RunView}: plain lines fit for CI logs, or the live
 * view at a terminal) and the release log file (timestamped, appended across resumed runs). Every
 * line passes the {@link Masker} first. The engine reports step events here, so that the console
 * can show steps as they start and finish.
 */
public final class RunLog implements AutoCloseable {

    /** How much a line matters; DETAIL goes to the console only with --debug. */
    public enum Level { INFO, WARN, ERROR, DETAIL }

    private final RunView view;
    private final Path logFile;
    /** Null when there is no log file, or once writing it failed (the console still gets every line). */
    private BufferedWriter file;
    private final Masker masker;
    private final boolean debug;
    private final boolean github;

    /** Plain lines on {@code console}. */
    public RunLog(PrintStream console, Path logFile, Masker masker, boolean debug, boolean github) {
        this(new PlainView(console), logFile, masker, debug, github);
    }

    /**
     * @param github under GitHub Actions ({@code GITHUB_ACTIONS=true}): the console also gets
     *               {@code ::group::} and {@code ::error::} workflow commands ({@code ::add-mask::}
     *               comes from the masker's owner, see {@link Masker#onAdd})
     */
    public RunLog(RunView view, Path logFile, Masker masker, boolean debug, boolean github) {
        this.view = view;
        this.logFile = logFile;
        this.masker = masker;
        this.debug = debug;
        this.github = github;
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
            write(level, masked);
            if (level != Level.DETAIL || debug) {
                view.line(level, console(level, masked));
            }
        }
    }

    /** A line a running step (or its subprocess) printed; shown as {@code "  job/step | line"}. */
    public void stepOutput(String step, Level level, String text) {
        String masked = masker.mask(text);
        String logged = "  " + step + " | " + masked;
        synchronized (this) {
            write(level, logged);
            if (level != Level.DETAIL || debug) {
                view.stepOutput(step, masked, console(level, logged));
            }
        }
    }

    /** The jobs and steps about to run, for a view that shows them all from the start. */
    public synchronized void planned(Map<String, List<String>> stepsByJob) {
        view.planned(stepsByJob);
    }

    /** A step (an attempt of it) starts; {@code text} is its line in the log. */
    public void stepStarted(String step, String text) {
        String masked = masker.mask(text);
        synchronized (this) {
            write(Level.INFO, masked);
            view.stepStarted(step, masked);
        }
    }

    /**
     * A step ends, or is found done or skipped without running; {@code text} is its line in the log,
     * {@code summary} what the step said it did, or null.
     */
    public void stepFinished(String step, RunView.Outcome outcome, String text, String summary) {
        String masked = masker.mask(text);
        String shownSummary = summary == null ? null : masker.mask(summary);
        Level level = outcome == RunView.Outcome.FAILED ? Level.ERROR : Level.INFO;
        synchronized (this) {
            write(level, masked);
            view.stepFinished(step, outcome, console(level, masked), shownSummary);
        }
        if (level == Level.ERROR) {
            errorAnnotation(masked);
        }
    }

    private static String console(Level level, String masked) {
        return switch (level) {
            case WARN -> "warning: " + masked;
            case ERROR -> "error: " + masked;
            default -> masked;
        };
    }

    private void write(Level level, String masked) {
        if (file == null) {
            return;
        }
        try {
            file.write(OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            file.write(' ');
            file.write(level.name());
            file.write(' ');
            file.write(masked);
            file.newLine();
            file.flush();
        } catch (IOException e) {
            stopWriting(e);
        }
    }

    /** A full disk must not end the release: say so once, then go on with the console alone. */
    private void stopWriting(IOException e) {
        try {
            file.close();
        } catch (IOException ignored) {
            // the same failure again; the warning below says it
        }
        file = null;
        view.line(Level.WARN, "warning: cannot write the release log " + logFile + " (" + e.getMessage()
                + "); the run goes on, with its lines on the console only");
    }

    public void info(String text) {
        line(Level.INFO, text);
    }

    public void warn(String text) {
        line(Level.WARN, text);
    }

    public void error(String text) {
        line(Level.ERROR, text);
        errorAnnotation(masker.mask(text));
    }

    private void errorAnnotation(String masked) {
        if (github) {
            workflowCommand("::error::" + masked.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"));
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

    /** Console only: the release log file has no use for workflow commands. */
    private synchronized void workflowCommand(String line) {
        view.line(Level.INFO, line);
    }

    @Override
    public synchronized void close() throws IOException {
        view.close();
        if (file != null) {
            file.close();
        }
    }
}
