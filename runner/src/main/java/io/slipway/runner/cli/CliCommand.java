package io.slipway.runner.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every command of the CLI has: the process's environment and streams, and {@code --help}. */
abstract class CliCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    CliCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }
}
