package io.slipway.runner.console;

import java.util.List;
import java.util.Map;

/**
 * What the console shows of a run. The {@link RunLog} reports every line and every step event here
 * (masked, as the plain console prints it in {@code text}); {@link PlainView} prints the lines,
 * {@link LiveView} draws the run as a tree at a terminal.
 */
public interface RunView extends AutoCloseable {

    /** How a step ended in this run. */
    enum Outcome { OK, DONE_EARLIER, SKIPPED, FAILED, INTERRUPTED, WAITING, REJECTED }

    /** The run's jobs in order, each with its step addresses ({@code job/step}) in order. */
    default void planned(Map<String, List<String>> stepsByJob) {
    }

    /** A line not about one step's progress: warnings, errors, hints, the run's start and end. */
    void line(RunLog.Level level, String text);

    void stepStarted(String step, String text);

    /** A line the running step or its subprocess printed. */
    void stepOutput(String step, String output, String text);

    /** @param summary the step's one-line account of what it did (or why it skipped), or null */
    void stepFinished(String step, Outcome outcome, String text, String summary);

    /** Called once, after the last line of the run. */
    @Override
    default void close() {
    }
}
