package io.slipway.runner.console;

import java.nio.charset.CharsetEncoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;

/**
 * The run at a terminal: jobs and their steps as a tree at the bottom of the screen, redrawn in
 * place with JLine's {@link Display} — a status symbol per step, a spinner and the elapsed time for
 * running steps (durations in one column), the latest line each running step printed, each finished
 * step's one-line summary, the steps done in an earlier run folded into one line per job — and a
 * summary when the run ends. Other lines (warnings, errors, hints) scroll above the tree. While a
 * prompt has the terminal the view is paused: the tree stays above it, one line per job, nothing is
 * drawn and lines wait until it resumes.
 */
public final class LiveView implements RunView {

    /** Lines of a failed step's output shown with its error; the release log has all of them. */
    private static final int FAILURE_TAIL = 10;
    private static final long TICK_MILLIS = 120;
    /** The column durations are right-aligned in: up to "59.9s" and "9m59s". */
    private static final int DURATION_WIDTH = 5;

    private final Terminal terminal;
    private final Display display;
    private final boolean color;
    private final Symbols symbols;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slipway-live-view");
        t.setDaemon(true);
        return t;
    });
    private final long started = System.nanoTime();
    /** Job name to its steps' states, in plan order; empty until the engine starts. */
    private final Map<String, List<StepState>> jobs = new LinkedHashMap<>();
    private final Map<String, StepState> steps = new LinkedHashMap<>();
    private final List<AttributedString> waiting = new ArrayList<>();
    private boolean paused;
    private boolean closed;

    /** A step as the tree shows it. */
    private static final class StepState {
        final String name;
        RunView.Outcome outcome;
        long startedAt;
        long took = -1;
        /** What the step said it did ("pushed refs/tags/v1.1.0"), or null. */
        String summary;
        final Deque<String> tail = new ArrayDeque<>();

        StepState(String name) {
            this.name = name;
        }

        boolean running() {
            return startedAt != 0 && outcome == null;
        }
    }

    /**
     * @param color false when {@code NO_COLOR} is set: symbols and layout only, no styles
     */
    public LiveView(Terminal terminal, boolean color) {
        this.terminal = terminal;
        this.display = new Display(terminal, false);
        this.color = color;
        CharsetEncoder encoder = terminal.encoding().newEncoder();
        this.symbols = encoder.canEncode(Symbols.UNICODE.all()) ? Symbols.UNICODE : Symbols.ASCII;
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void planned(Map<String, List<String>> stepsByJob) {
        stepsByJob.forEach((job, addresses) -> {
            List<StepState> states = new ArrayList<>();
            for (String address : addresses) {
                StepState s = new StepState(address.substring(address.indexOf('/') + 1));
                steps.put(address, s);
                states.add(s);
            }
            jobs.put(job, states);
        });
        redraw();
    }

    @Override
    public synchronized void line(RunLog.Level level, String text) {
        print(styled(text, switch (level) {
            case WARN -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case ERROR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case DETAIL -> AttributedStyle.DEFAULT.faint();
            case INFO -> AttributedStyle.DEFAULT;
        }));
    }

    @Override
    public synchronized void stepStarted(String step, String text) {
        StepState s = state(step);
        s.outcome = null;
        s.took = -1;
        s.summary = null;
        s.tail.clear();
        s.startedAt = System.nanoTime();
        redraw();
    }

    @Override
    public synchronized void stepOutput(String step, String output, String text) {
        StepState s = state(step);
        s.tail.addLast(output);
        if (s.tail.size() > FAILURE_TAIL) {
            s.tail.removeFirst();
        }
        redraw();
    }

    @Override
    public synchronized void stepFinished(String step, RunView.Outcome outcome, String text, String summary) {
        StepState s = state(step);
        s.outcome = outcome;
        s.summary = summary;
        if (s.startedAt != 0) {
            s.took = System.nanoTime() - s.startedAt;
        }
        switch (outcome) {
            case FAILED -> {
                List<AttributedString> lines = new ArrayList<>();
                lines.add(styled(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
                s.tail.forEach(l -> lines.add(styled("  " + step + " | " + l, AttributedStyle.DEFAULT.faint())));
                print(lines);
            }
            case INTERRUPTED, WAITING, REJECTED -> print(styled(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
            default -> redraw();
        }
    }

    /**
     * A prompt takes the terminal: the tree is replaced by one line per job, which stays above the
     * prompt, and nothing is drawn until {@link #resume()}.
     *
     * @return how many lines the view left on the screen
     */
    public synchronized int pause() {
        if (paused) {
            return 0;
        }
        paused = true;
        erase();
        List<AttributedString> folded = new ArrayList<>();
        int width = Math.max(20, terminal.getColumns() - 1);
        jobs.forEach((job, states) -> {
            List<String> running = states.stream().filter(StepState::running).map(s -> s.name).toList();
            AttributedStringBuilder b = new AttributedStringBuilder()
                    .append(symbol(running.isEmpty() ? jobOutcome(states) : Outcome.WAITING, states, 0)).append(' ')
                    .append(job, AttributedStyle.BOLD);
            if (!running.isEmpty()) {
                b.append("  ").append(String.join(", ", running), faint());
            }
            folded.add(cut(b.toAttributedString(), width));
        });
        folded.forEach(l -> terminal.writer().println(l.toAnsi(terminal)));
        terminal.flush();
        return folded.size();
    }

    public synchronized void resume() {
        if (paused) {
            paused = false;
            display.reset();
            print(List.copyOf(waiting));
            waiting.clear();
        }
    }

    /**
     * The first Ctrl-C calls {@code cancel} and names the steps the run waits for; see
     * {@link RunConsole#onInterrupt}. A second one, for a step that does not stop, ends the process
     * at once with 130 (the journal is written atomically, so it stays readable; the step runs again
     * on resume), without the end-of-run clean-up, which the message names when there is some.
     *
     * @param cleanup the steps whose end-of-run clean-up is still to run
     */
    void onInterrupt(Runnable cancel, Supplier<List<String>> cleanup) {
        AtomicInteger presses = new AtomicInteger();
        terminal.handle(Terminal.Signal.INT, signal -> {
            if (presses.incrementAndGet() == 1) {
                cancel.run();
                stopping();
            } else {
                List<String> left = cleanup.get();
                terminal.writer().println();
                terminal.writer().println("slipway: stopped at once (second Ctrl-C); the journal is saved" + (left.isEmpty() ? ""
                        : ", but the end-of-run clean-up of " + String.join(", ", left) + " did not run (runner abandon"
                        + " undoes a release that published nothing)"));
                terminal.flush();
                Runtime.getRuntime().halt(130);
            }
        });
    }

    /** After the first Ctrl-C: which steps the run waits for, if any is still running. */
    private synchronized void stopping() {
        List<String> running = steps.entrySet().stream().filter(e -> e.getValue().running()).map(Map.Entry::getKey).toList();
        if (!running.isEmpty()) {
            print(styled("stopping: waiting for " + String.join(", ", running) + " (Ctrl-C again to stop now)",
                    AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
        }
    }

    /** Draws the final tree, then the summary, and stops drawing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        ticker.shutdownNow();
        paused = false;
        print(List.copyOf(waiting));
        waiting.clear();
        if (!jobs.isEmpty()) {
            terminal.writer().println();
            terminal.writer().println(summary().toAnsi(terminal));
        }
        closed = true;
        terminal.flush();
    }

    private StepState state(String step) {
        // A step the plan did not announce (none should exist) still gets a line, in a job of its own.
        return steps.computeIfAbsent(step, k -> {
            StepState s = new StepState(k.substring(k.indexOf('/') + 1));
            jobs.computeIfAbsent(k.substring(0, Math.max(0, k.indexOf('/'))), j -> new ArrayList<>()).add(s);
            return s;
        });
    }

    private synchronized void tick() {
        if (steps.values().stream().anyMatch(StepState::running)) {
            redraw();
        }
    }

    private void print(AttributedString line) {
        print(List.of(line));
    }

    /** Lines above the tree: the tree is erased, the lines printed, and the tree drawn again below them. */
    private void print(List<AttributedString> lines) {
        if (closed) {
            lines.forEach(l -> terminal.writer().println(l.toAnsi(terminal)));
            terminal.flush();
            return;
        }
        if (paused) {
            waiting.addAll(lines);
            return;
        }
        erase();
        lines.forEach(l -> terminal.writer().println(l.toAnsi(terminal)));
        display.reset();
        redraw();
        terminal.flush();
    }

    private void erase() {
        display.update(List.of(), 0);
        terminal.flush();
    }

    private void redraw() {
        if (paused || closed || jobs.isEmpty()) {
            return;
        }
        display.resize(terminal.getSize());
        display.update(tree(), -1);
    }

    /**
     * The tree, cut to the terminal's size: lines are not wrapped, and finished jobs fold when rows
     * are short. Steps done in an earlier run show as one line per job.
     */
    private List<AttributedString> tree() {
        int width = Math.max(20, terminal.getColumns() - 1);
        int rows = Math.max(3, terminal.getRows() - 1);
        long now = System.nanoTime();
        int nameWidth = steps.values().stream().filter(s -> s.outcome != Outcome.DONE_EARLIER).mapToInt(s -> s.name.length())
                .max().orElse(0);
        List<AttributedString> lines = new ArrayList<>();
        Map<String, List<Object>> shown = new LinkedHashMap<>();
        jobs.forEach((job, states) -> shown.put(job, rows(states)));
        int total = shown.values().stream().mapToInt(List::size).sum() + jobs.size();
        for (Map.Entry<String, List<StepState>> job : jobs.entrySet()) {
            List<StepState> states = job.getValue();
            List<Object> items = shown.get(job.getKey());
            lines.add(new AttributedStringBuilder().append(symbol(jobOutcome(states), states, now)).append(' ')
                    .append(job.getKey(), AttributedStyle.BOLD).toAttributedString());
            boolean fold = total > rows && states.stream().allMatch(s -> s.outcome != null && s.outcome != Outcome.FAILED);
            if (fold) {
                total -= items.size();
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                boolean last = i == items.size() - 1;
                AttributedStringBuilder b = new AttributedStringBuilder().append("  ").append(last ? symbols.last : symbols.branch);
                if (!(items.get(i) instanceof StepState s)) {
                    lines.add(cut(b.append(symbol(Outcome.DONE_EARLIER, List.of(), now)).append(' ')
                            .append(items.get(i) + " done earlier", faint()).toAttributedString(), width));
                    continue;
                }
                b.append(symbol(s.outcome, List.of(s), now)).append(' ');
                long took = s.running() ? now - s.startedAt : s.took;
                if (took < 0 && s.summary == null) {
                    b.append(s.name, s.startedAt == 0 && s.outcome == null ? faint() : AttributedStyle.DEFAULT);
                } else {
                    String duration = took < 0 ? "" : elapsed(took);
                    b.append(s.name + " ".repeat(nameWidth - s.name.length())).append("  ")
                            .append(" ".repeat(Math.max(0, DURATION_WIDTH - duration.length())) + duration, faint());
                    if (s.summary != null && !s.summary.isBlank()) {
                        b.append("  ").append(s.summary.lines().findFirst().orElse(""), faint());
                    }
                }
                lines.add(cut(b.toAttributedString(), width));
                if (s.running() && !s.tail.isEmpty()) {
                    lines.add(cut(new AttributedStringBuilder().append("  ").append(last ? "   " : symbols.through)
                            .append("   ").append(s.tail.getLast(), faint()).toAttributedString(), width));
                }
            }
        }
        return lines.size() > rows ? lines.subList(lines.size() - rows, lines.size()) : lines;
    }

    /** A job's rows: its steps, those done in an earlier run replaced by their count where the first of them stood. */
    private static List<Object> rows(List<StepState> states) {
        List<Object> rows = new ArrayList<>();
        long earlier = states.stream().filter(s -> s.outcome == Outcome.DONE_EARLIER).count();
        boolean counted = false;
        for (StepState s : states) {
            if (s.outcome != Outcome.DONE_EARLIER) {
                rows.add(s);
            } else if (!counted) {
                rows.add(earlier);
                counted = true;
            }
        }
        return rows;
    }

    private AttributedString summary() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int notRun = 0;
        for (StepState s : steps.values()) {
            if (s.outcome == null) {
                notRun++;
            } else {
                counts.merge(s.outcome, 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((o, n) -> parts.add(n + " " + switch (o) {
            case OK -> "ok";
            case DONE_EARLIER -> "done earlier";
            case SKIPPED -> "skipped";
            case FAILED -> "failed";
            case INTERRUPTED -> "interrupted";
            case WAITING -> "waiting";
            case REJECTED -> "rejected";
        }));
        if (notRun > 0) {
            parts.add(notRun + " not run");
        }
        Outcome overall = counts.containsKey(Outcome.FAILED) ? Outcome.FAILED
                : counts.containsKey(Outcome.INTERRUPTED) ? Outcome.INTERRUPTED
                : counts.containsKey(Outcome.REJECTED) ? Outcome.REJECTED
                : counts.containsKey(Outcome.WAITING) || notRun > 0 ? Outcome.WAITING : Outcome.OK;
        return new AttributedStringBuilder().append(symbol(overall, List.of(), 0)).append(' ')
                .append("summary: " + String.join(", ", parts) + " in " + elapsed(System.nanoTime() - started), AttributedStyle.BOLD)
                .toAttributedString();
    }

    /** A job is running while any step runs, failed when one failed, done when all are; otherwise pending. */
    private static Outcome jobOutcome(List<StepState> states) {
        for (Outcome worst : List.of(Outcome.FAILED, Outcome.INTERRUPTED, Outcome.REJECTED, Outcome.WAITING)) {
            if (states.stream().anyMatch(s -> s.outcome == worst)) {
                return worst;
            }
        }
        return states.stream().allMatch(s -> s.outcome != null) ? Outcome.OK : null;
    }

    /** A step's or job's symbol: its outcome, a spinner while running, a circle while pending. */
    private AttributedString symbol(Outcome outcome, List<StepState> states, long now) {
        if (outcome == null) {
            if (states.stream().anyMatch(StepState::running)) {
                String frames = symbols.spinner;
                int frame = (int) ((now / TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)) % frames.length());
                return styled(frames.substring(frame, frame + 1), AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
            }
            return styled(symbols.pending, faint());
        }
        return switch (outcome) {
            case OK -> styled(symbols.ok, AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
            case DONE_EARLIER -> styled(symbols.ok, faint());
            case SKIPPED -> styled(symbols.skipped, faint());
            case FAILED, REJECTED -> styled(symbols.failed, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
            case INTERRUPTED -> styled(symbols.interrupted, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
            case WAITING -> styled(symbols.waiting, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
        };
    }

    private AttributedStyle faint() {
        return AttributedStyle.DEFAULT.faint();
    }

    private AttributedString styled(String text, AttributedStyle style) {
        return new AttributedString(text, color ? style : AttributedStyle.DEFAULT);
    }

    private static AttributedString cut(AttributedString line, int width) {
        return line.columnLength() <= width ? line : line.columnSubSequence(0, width);
    }

    static String elapsed(long nanos) {
        double seconds = nanos / 1e9;
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** Tree and status characters; plain ASCII when the terminal's encoding cannot show the others. */
    private enum Symbols {
        // Heavy lines: JLine would send the light ones (├─│) in the terminal's alternate character set.
        UNICODE("┣━ ", "┗━ ", "┃  ", "✔", "✘", "⊘", "↷", "◆", "○", "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"),
        ASCII("|- ", "`- ", "|  ", "+", "x", "!", "-", "?", ".", "|/-\\");

        final String branch;
        final String last;
        final String through;
        final String ok;
        final String failed;
        final String interrupted;
        final String skipped;
        final String waiting;
        final String pending;
        final String spinner;

        Symbols(String branch, String last, String through, String ok, String failed, String interrupted, String skipped,
                String waiting, String pending, String spinner) {
            this.branch = branch;
            this.last = last;
            this.through = through;
            this.ok = ok;
            this.failed = failed;
            this.interrupted = interrupted;
            this.skipped = skipped;
            this.waiting = waiting;
            this.pending = pending;
            this.spinner = spinner;
        }

        String all() {
            return branch + last + through + ok + failed + interrupted + skipped + waiting + pending + spinner;
        }
    }
}
