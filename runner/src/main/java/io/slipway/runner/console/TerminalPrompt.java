package io.slipway.runner.console;

import io.slipway.runner.approval.Approvals;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Asks approvals at the terminal with JLine: approve, reject, or show the details first. */
public final class TerminalPrompt implements Approvals.Prompt {

    private final Terminal terminal;
    private final LineReader reader;

    private TerminalPrompt(Terminal terminal) {
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
    }

    /**
     * A prompt when a person is there: stdin and stdout are a terminal, {@code --non-interactive} was
     * not given and {@code CI} is not set.
     */
    public static Optional<Approvals.Prompt> detect(Map<String, String> env, boolean nonInteractive) {
        String ci = env.getOrDefault("CI", "");
        if (nonInteractive || !(ci.isEmpty() || ci.equalsIgnoreCase("false")) || System.console() == null) {
            return Optional.empty();
        }
        try {
            Terminal t = TerminalBuilder.builder().system(true).build();
            if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.close();
                return Optional.empty();
            }
            return Optional.of(new TerminalPrompt(t));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized boolean ask(String title, List<String> summary, List<String> details) {
        var w = terminal.writer();
        w.println();
        summary.forEach(w::println);
        w.flush();
        while (true) {
            String answer;
            try {
                answer = reader.readLine(title + " [a]pprove, [r]eject, [d]etails: ").trim().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException e) {
                return false;
            }
            switch (answer) {
                case "a", "approve" -> {
                    return true;
                }
                case "r", "reject" -> {
                    return false;
                }
                case "d", "details" -> {
                    (details.isEmpty() ? List.of("no further details") : details).forEach(w::println);
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
