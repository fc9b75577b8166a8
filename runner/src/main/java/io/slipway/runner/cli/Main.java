package io.slipway.runner.cli;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;

/** Entry point: {@code runner <script> --version X}, {@code runner validate|plugins|demo}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // PF4J and the index libraries log through slf4j-simple; keep their chatter off the console.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                java.util.Arrays.asList(args).contains("--debug") ? "debug" : "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.pf4j", java.util.Arrays.asList(args).contains("--debug") ? "debug" : "off");
        int code = run(args, System.getenv(), System.out, System.err);
        RunCommand.exitUnlessShuttingDown(code);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new RunCommand(env, out, err));
        cl.addSubcommand(new ValidateCommand(env, out, err));
        cl.addSubcommand(new PluginsCommand(env, out, err));
        cl.addSubcommand(new DemoCommand(env, out, err));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("hint: runner --help shows the commands and options");
            return 2;
        });
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            // A failure no command turned into a sentence (a bug, or the machine failing): still one sentence.
            err.println("error: " + sentence(ex));
            err.println("hint: " + (debug ? "the stack trace follows" : "run the same command with --debug to see where it happened"));
            if (debug) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        return cl.execute(args);
    }

    private static String sentence(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || message.contains(cause.getMessage()) ? message
                : message + ": " + cause.getMessage();
    }

    /** Prints a user error the same way for every command. */
    static int report(UserError e, PrintStream err) {
        err.println("error: " + e.getMessage());
        if (e.hint != null) {
            err.println("hint: " + e.hint);
        }
        return e.exitCode;
    }
}
