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
    public synchronized Answer ask(String title, Approvals.Summary summary, List<String> details) {
        int above = view.pause();
        try {
            return askPaused(title, summary, details, above);
        } finally {
            view.resume();
        }
    }

    /**
     * @param above the rows the view left above the prompt (its folded tree): the summary gets the
     *              rest, less a blank line and the prompt's, so that its first line stays on the screen
     */
    private Answer askPaused(String title, Approvals.Summary summary, List<String> details, int above) {
        var w = terminal.writer();
        int width = terminal.getColumns() > 0 ? terminal.getColumns() : 80;
        int rows = (terminal.getRows() > 0 ? terminal.getRows() : 24) - above - 2;
        w.println();
        summary.lines(width, rows).stream().map(l -> cut(masker.mask(l), width)).forEach(w::println);
        w.flush();
        while (true) {
            String answer;
            try {
                answer = read(title + " [a]pprove, [r]eject, [d]etails: ").toLowerCase(Locale.ROOT);
                switch (answer) {
                    case "a", "approve" -> {
                        return Answer.APPROVED;
                    }
                    case "r", "reject" -> {
                        String reason = "";
                        while (reason.isEmpty()) {
                            reason = read("reason for rejecting (kept in the journal and the report): ");
                        }
                        if (List.of("y", "yes").contains(read("reject it? [y]es, [n]o: ").toLowerCase(Locale.ROOT))) {
                            return Answer.rejected(reason);
                        }
                        w.println("not rejected");
                    }
                    case "d", "details" -> (details.isEmpty() ? List.of("no further details") : details).stream()
                            .map(masker::mask).forEach(w::println);
                    default -> w.println("please answer a, r or d");
                }
                w.flush();
            } catch (UserInterruptException | EndOfFileException e) {
                return Answer.CANCELLED;
            }
        }
    }

    private String read(String prompt) {
        return reader.readLine(masker.mask(prompt)).trim();
    }

    private static String cut(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
    }
}
