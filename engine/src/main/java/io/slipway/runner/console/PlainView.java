package io.slipway.runner.console;

import java.io.PrintStream;

/** Plain lines, one per event, no timestamps and no cursor movement: for CI logs and redirected output. */
public final class PlainView implements RunView {

    private final PrintStream out;

    public PlainView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void line(RunLog.Level level, String text) {
        print(text);
    }

    @Override
    public void stepStarted(String step, String text) {
        print(text);
    }

    @Override
    public void stepOutput(String step, String output, String text) {
        print(text);
    }

    @Override
    public void stepFinished(String step, Outcome outcome, String text, String summary) {
        print(text);
    }

    private synchronized void print(String text) {
        out.println(text);
        out.flush();
    }
}
