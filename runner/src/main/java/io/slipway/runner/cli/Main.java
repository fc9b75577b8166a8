package io.slipway.runner.cli;

import io.slipway.runner.console.Masker;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/** Entry point: {@code runner <script> --version X}, {@code runner validate|plugins|demo|abandon|github-workflow}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // PF4J and the index libraries log through slf4j-simple; keep their chatter off the console.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                java.util.Arrays.asList(args).contains("--debug") ? "debug" : "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.pf4j", java.util.Arrays.asList(args).contains("--debug") ? "debug" : "off");
        useHomeOf(System.getenv());
        int code = run(args, System.getenv(), Path.of(""), System.out, System.err);
        RunCommand.exitUnlessShuttingDown(code);
    }

    /**
     * Java's home folder is the passwd entry's, and {@code ?} for a user without one (a container run with
     * {@code --user}): JGit then kept its config in {@code ?/.config/jgit} under the working directory, which is
     * the repository being released, and the release stopped at its own clean-tree check. The home is
     * {@code $HOME} instead, as git has it; without one, {@code /}, as Docker gives such a user.
     */
    static void useHomeOf(Map<String, String> env) {
        String home = env.getOrDefault("HOME", "");
        if (!home.isEmpty() && Path.of(home).isAbsolute()) {
            System.setProperty("user.home", home);
        } else if (!Path.of(System.getProperty("user.home", "")).isAbsolute()) {
            System.setProperty("user.home", "/");
        }
    }

    /**
     * Runs a command with its streams, and the process's {@code System.out}/{@code System.err}
     * (what a script prints while it is evaluated), masked from the start: every credential in the
     * environment and on the command line is hidden before anything is read, evaluated or run.
     *
     * @param cwd what relative paths on the command line and in the environment are relative to: the
     *            empty path, which leaves them as they are (the process's working directory), except
     *            for tests that run the runner inside their own JVM, in a folder of their own
     */
    static int run(String[] args, Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        Masker masker = new Masker();
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            // Unmasked on purpose: the workflow log must learn each secret before it could appear there.
            masker.onAdd(secret -> out.println("::add-mask::" + secret));
        }
        masker.addSecretsFrom(env);
        Arrays.stream(args).forEach(masker::addUrlCredentialsIn);
        PrintStream maskedOut = masker.stream(out);
        PrintStream maskedErr = masker.stream(err);
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        System.setOut(maskedOut);
        System.setErr(maskedErr);
        try {
            CommandLine cl = new CommandLine(new RunCommand(env, cwd, maskedOut, maskedErr, masker, Arrays.asList(args)));
            cl.addSubcommand(new ValidateCommand(env, cwd, maskedOut, maskedErr));
            cl.addSubcommand(new PluginsCommand(env, cwd, maskedOut, maskedErr));
            cl.addSubcommand(new DemoCommand(env, cwd, maskedOut, maskedErr));
            cl.addSubcommand(new AbandonCommand(env, cwd, maskedOut, maskedErr, masker));
            cl.addSubcommand(new GithubWorkflowCommand(env, cwd, maskedOut, maskedErr, Arrays.asList(args)));
            cl.setOut(new PrintWriter(maskedOut, true));
            cl.setErr(new PrintWriter(maskedErr, true));
            cl.setParameterExceptionHandler((ex, a) -> {
                maskedErr.println("error: " + ex.getMessage());
                maskedErr.println("hint: runner --help shows the commands and options");
                return 2;
            });
            boolean debug = Arrays.asList(args).contains("--debug");
            cl.setExecutionExceptionHandler((ex, c, parsed) -> {
                // A failure no command turned into a sentence (a bug, or the machine failing): still one sentence.
                maskedErr.println("error: " + sentence(ex));
                maskedErr.println("hint: " + (debug ? "the stack trace follows" : "run the same command with --debug to see where it happened"));
                if (debug) {
                    ex.printStackTrace(maskedErr);
                }
                return 1;
            });
            return cl.execute(args);
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
            maskedOut.close();
            maskedErr.close();
        }
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
