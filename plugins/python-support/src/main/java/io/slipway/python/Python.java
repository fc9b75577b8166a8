package io.slipway.python;

import io.slipway.spi.ExecRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the Python plugins start the user's Python tools. */
public final class Python {

    /** The variable (set by {@code --python} or by the user) naming the interpreter. */
    public static final String INTERPRETER_VARIABLE = "SLIPWAY_PYTHON";

    private Python() {
    }

    /** The interpreter the user chose, or {@code python3} from PATH. */
    public static String interpreter(Map<String, String> env) {
        String chosen = env.get(INTERPRETER_VARIABLE);
        return chosen == null || chosen.isBlank() ? "python3" : chosen;
    }

    /**
     * {@code <python> -m <module> args...}, with output not wrapped at 80 columns (twine's rich output
     * otherwise splits file names over two lines in the log); the runner asks every child for no colours.
     */
    public static ExecRequest module(Map<String, String> env, String module, List<String> args) {
        List<String> command = new ArrayList<>(List.of(interpreter(env), "-m", module));
        command.addAll(args);
        return ExecRequest.of(command).env("COLUMNS", "240");
    }

    /**
     * Isolates a pip or twine process from the machine's pip and twine settings
     * ({@code PIP_*}, {@code TWINE_*} variables and pip config files), so what it does depends only
     * on the arguments and the credentials the step passes on purpose.
     */
    public static ExecRequest isolated(ExecRequest request) {
        return request.unsetEnvPrefix("PIP_").unsetEnvPrefix("TWINE_").env("PIP_CONFIG_FILE", "/dev/null")
                .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    }
}
