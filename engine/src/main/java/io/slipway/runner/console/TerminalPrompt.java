package io.slipway.runner.console;

import io.slipway.runner.approval.Approvals;
import java.util.List;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** Asks approvals at the terminal with JLine: approve, reject, or show the details first. */
public final class TerminalPrompt implements Approvals.Prompt {

    private final Terminal terminal;
    private final LineReader reader;
    private final LiveView view;
    private final Masker masker;

    /**
     * @param view   paused while the prompt has the terminal
     * @param masker what the prompt shows passes it, like every other line of the run
     */
    TerminalPrompt(Terminal terminal, LiveView view, Masker masker) {
        this.terminal = terminal;
        this.view = view;
        this.masker = masker;
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
    }

    @Override
    public synchronized Answer ask(String title, List<String> summary, List<String> details) {
        view.pause();
        try {
            return askPaused(title, summary, details);
        } finally {
            view.resume();
        }
    }

    private Answer askPaused(String title, List<String> summary, List<String> details) {
        var w = terminal.writer();
        w.println();
        summary.stream().map(masker::mask).forEach(w::println);
        w.flush();
        while (true) {
            String answer;
            try {
                answer = reader.readLine(masker.mask(title) + " [a]pprove, [r]eject, [d]etails: ").trim().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException e) {
                return Answer.CANCELLED;
            }
            switch (answer) {
                case "a", "approve" -> {
                    return Answer.APPROVED;
                }
                case "r", "reject" -> {
                    return Answer.REJECTED;
                }
                case "d", "details" -> {
                    (details.isEmpty() ? List.of("no further details") : details).stream().map(masker::mask).forEach(w::println);
                    w.flush();
                }
                default -> {
                    w.println("please answer a, r or d");
                    w.flush();
                }
            }
        }
    }
}
