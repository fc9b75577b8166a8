package io.slipway.plugin.twineupload;

import io.slipway.python.Python;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code twine upload} for one file and says how it ended. Credentials reach twine only
 * through its environment (or its own {@code .pypirc}), never its arguments.
 */
final class Twine {

    /** How an upload ended. {@code status} is the HTTP status, 0 when none was seen. */
    record Outcome(boolean uploaded, boolean transientFailure, int status, String output) {
    }

    private static final Pattern HTTP_ERROR = Pattern.compile("HTTPError: (\\d{3})");

    private final StepContext ctx;
    private final UploadTarget target;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Optional<String> credentialSource;
    private final Duration timeout;

    /**
     * @param credentialSource where the credentials come from, safe to show (e.g. {@code PYPI_TOKEN})
     * @param timeout          how long one file's upload may take: twine itself waits for the index's answer without limit
     */
    Twine(StepContext ctx, UploadTarget target, Optional<String> username, Optional<String> password,
          Optional<String> credentialSource, Duration timeout) {
        this.ctx = ctx;
        this.timeout = timeout;
        this.target = target;
        this.username = username;
        this.password = password;
        this.credentialSource = credentialSource;
    }

    Optional<String> username() {
        return username;
    }

    Optional<String> password() {
        return password;
    }

    Optional<String> credentialSource() {
        return credentialSource;
    }

    Outcome upload(Path file) throws StepException {
        List<String> args = new ArrayList<>(List.of("upload", "--non-interactive", "--disable-progress-bar"));
        args.addAll(target.twineArgs());
        args.add(file.toString());
        // Isolated drops the machine's TWINE_* settings (a stray TWINE_REPOSITORY_URL must not
        // redirect the upload); the credentials are then put back on purpose.
        ExecRequest request = Python.isolated(Python.module(ctx.env(), "twine", args))
                .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
                .timeout(timeout);
        username.ifPresent(u -> request.env("TWINE_USERNAME", u));
        password.ifPresent(p -> request.secretEnv("TWINE_PASSWORD", p));
        ExecResult result = ctx.exec(request);
        String output = String.join("\n", result.output());
        if (result.succeeded()) {
            return new Outcome(true, false, 0, output);
        }
        Matcher m = HTTP_ERROR.matcher(output);
        int status = m.find() ? Integer.parseInt(m.group(1)) : 0;
        boolean connection = status == 0 && (output.contains("ConnectionError") || output.contains("Connection refused")
                || output.contains("Connection aborted") || output.contains("Read timed out"));
        return new Outcome(false, status >= 500 || connection, status, output);
    }
}
