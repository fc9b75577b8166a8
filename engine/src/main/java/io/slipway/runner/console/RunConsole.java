package io.slipway.runner.console;

import io.slipway.runner.approval.Approvals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console of a run: at a terminal (and not in CI) a {@link LiveView} and, unless
 * {@code --non-interactive}, a {@link TerminalPrompt} sharing that terminal; otherwise plain lines
 * and no prompt.
 */
public record RunConsole(RunView view, Optional<Approvals.Prompt> prompt) {

    /**
     * Makes Ctrl-C at the live view's terminal call {@code cancel} instead of shutting the JVM down,
     * which would close the terminal before the view draws its last tree and summary. A plain
     * console leaves Ctrl-C to the JVM's shutdown hooks.
     *
     * @param pendingCleanup the steps whose end-of-run clean-up has yet to run, named when a second
     *                       Ctrl-C stops the process at once
     */
    public void onInterrupt(Runnable cancel, Supplier<List<String>> pendingCleanup) {
        if (view instanceof LiveView live) {
            live.onInterrupt(cancel, pendingCleanup);
        }
    }

    /** @param masker for the prompt, which writes to the terminal itself */
    public static RunConsole detect(Map<String, String> env, boolean nonInteractive, PrintStream out, Masker masker) {
        RunConsole plain = new RunConsole(new PlainView(out), Optional.empty());
        String ci = env.getOrDefault("CI", "");
        if (!(ci.isEmpty() || ci.equalsIgnoreCase("false")) || System.console() == null) {
            return plain;
        }
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().system(true).encoding(localeCharset()).build();
        } catch (IOException e) {
            return plain;
        }
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // Nothing was drawn on it; plain lines go to stdout either way.
            }
            return plain;
        }
        // https://no-color.org: set and not empty means no colors.
        LiveView view = new LiveView(terminal, env.getOrDefault("NO_COLOR", "").isEmpty());
        return new RunConsole(view, nonInteractive ? Optional.empty() : Optional.of(new TerminalPrompt(terminal, view, masker)));
    }

    /**
     * The charset of the user's locale (LANG, LC_ALL), which is what the terminal shows: LiveView draws its
     * tree in ASCII where that charset has no box-drawing characters. JLine 4 assumes UTF-8 unless told, and
     * Java 18+ makes UTF-8 the default charset whatever the locale, so it is taken from native.encoding.
     */
    static Charset localeCharset() {
        String property = System.getProperty("org.jline.terminal.encoding");
        String name = property != null ? property : System.getProperty("native.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
