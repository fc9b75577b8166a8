package io.slipway.runner.cli;

import io.slipway.runner.script.ScriptHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the CLI adds around the evaluation of a script: the time limit from SLIPWAY_SCRIPT_TIMEOUT,
 * and no way for the script to end the runner. There is no SecurityManager to refuse
 * {@code System.exit}, so a shutdown hook, registered only while the script is evaluated, turns
 * an exit it asks for into exit 2 with a sentence naming it, instead of the script's own code.
 */
final class ScriptGuard {

    private ScriptGuard() {
    }

    /** {@code SLIPWAY_SCRIPT_TIMEOUT} (seconds), else the host's default. */
    static Duration timeout(Map<String, String> env) throws UserError {
        String given = env.get("SLIPWAY_SCRIPT_TIMEOUT");
        if (given == null || given.isBlank()) {
            return ScriptHost.DEFAULT_EVALUATION_TIMEOUT;
        }
        if (!given.strip().matches("[1-9][0-9]{0,5}")) {
            throw UserError.usage("SLIPWAY_SCRIPT_TIMEOUT=" + given + " is not a number of seconds",
                    "set it to a whole number from 1, e.g. SLIPWAY_SCRIPT_TIMEOUT=120, or unset it for 60 s");
        }
        return Duration.ofSeconds(Long.parseLong(given.strip()));
    }

    static <T> T refusingExit(Path script, Supplier<T> evaluation) {
        Thread hook = new Thread(() -> {
            // The thread that asked to exit waits in Runtime.exit; on a signal (Ctrl-C) none does, and the JVM ends as usual.
            boolean exitAsked = Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream)
                    .anyMatch(f -> f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit"));
            if (exitAsked) {
                Main.report(UserError.usage(script.getFileName() + " called System.exit while declaring its pipeline",
                        "a script only declares the pipeline: remove the call (to stop a release, let a step fail); nothing has run"),
                        System.err);
                System.err.flush();
                Runtime.getRuntime().halt(2);
            }
        }, "slipway-script-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return evaluation.get();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }
}
