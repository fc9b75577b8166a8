package io.slipway.runner.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every command of the CLI has: the process's environment, working directory and streams, and {@code --help}. */
abstract class CliCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    final Map<String, String> env;
    final Path cwd;
    final PrintStream out;
    final PrintStream err;

    /** @param cwd what relative paths are relative to; see {@link Main#run} */
    CliCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        this.env = env;
        this.cwd = cwd;
        this.out = out;
        this.err = err;
    }

    /** A path given on the command line, to read or write: relative to {@link #cwd}. Messages show it as given. */
    Path at(Path given) {
        return cwd.resolve(given);
    }
}
