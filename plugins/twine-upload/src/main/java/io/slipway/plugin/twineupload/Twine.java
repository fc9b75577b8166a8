package io.slipway.plugin.twineupload;

import io.slipway.python.Credentials;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs one {@code twine upload} for a package's files and says how it ended. Credentials reach twine only
 * through its environment (or its own {@code .pypirc}), never its arguments.
 */
final class Twine {

    /**
     * How an upload ended. {@code accepted}: the names of the files the index took (all of them when
     * twine succeeded); for a failure, {@code status} is the HTTP status of the file twine stopped at,
     * 0 when none was seen, and {@code reason} the index's own words, empty when it gave none.
     */
    record Outcome(Set<String> accepted, boolean transientFailure, int status, String reason, String output) {
    }

    /** What twine prints before it sends a file (again for each of its own 5xx retries). */
    private static final Pattern UPLOADING = Pattern.compile("^Uploading (\\S+)$");
    private static final Pattern HTTP_ERROR = Pattern.compile("HTTPError: (\\d{3}) (.*?) from ");
    private static final Pattern LEVEL = Pattern.compile("^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\\s+");

    private final StepContext ctx;
    private final UploadTarget target;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Optional<String> credentialSource;
    private final Optional<TrustedPublishing> trustedPublishing;
    private final Duration timeout;

    /**
     * @param credentialSource where the credentials come from, safe to show (e.g. {@code PYPI_TOKEN})
     * @param timeout          how long one file's upload may take (a call with n files may take n times as long): twine
     *                         itself waits for the index's answer without limit
     */
    Twine(StepContext ctx, UploadTarget target, Optional<String> username, Optional<String> password,
          Optional<String> credentialSource, Duration timeout) {
        this(ctx, target, username, password, credentialSource, Optional.empty(), timeout);
    }

    /** Uploads as {@code __token__} with the API token trusted publishing mints right before each upload needs it. */
    Twine(StepContext ctx, UploadTarget target, TrustedPublishing trustedPublishing, Duration timeout) {
        this(ctx, target, Optional.of("__token__"), Optional.empty(), Optional.of(Credentials.TRUSTED_PUBLISHING + " on "
                + trustedPublishing.indexName()), Optional.of(trustedPublishing), timeout);
    }

    private Twine(StepContext ctx, UploadTarget target, Optional<String> username, Optional<String> password,
                  Optional<String> credentialSource, Optional<TrustedPublishing> trustedPublishing, Duration timeout) {
        this.ctx = ctx;
        this.timeout = timeout;
        this.target = target;
        this.username = username;
        this.password = password;
        this.credentialSource = credentialSource;
        this.trustedPublishing = trustedPublishing;
    }

    Optional<String> username() {
        return username;
    }

    /** The password known before any upload; empty for trusted publishing, whose token is minted at the upload. */
    Optional<String> password() {
        return password;
    }

    Optional<String> credentialSource() {
        return credentialSource;
    }

    /** Uploads the files in their order; twine stops at the first one the index does not take. */
    Outcome upload(List<Path> files) throws StepException, InterruptedException {
        // Minted (or reused while valid) right before the upload, and masked as it arrives.
        Optional<String> password = trustedPublishing.isPresent() ? Optional.of(trustedPublishing.get().token()) : this.password;
        // --verbose shows the index's answer (the body is where most indexes explain a refusal).
        List<String> args = new ArrayList<>(List.of("--no-color", "upload", "--verbose", "--non-interactive",
                "--disable-progress-bar"));
        args.addAll(target.twineArgs());
        files.forEach(f -> args.add(f.toString()));
        // Isolated drops the machine's TWINE_* settings (a stray TWINE_REPOSITORY_URL must not
        // redirect the upload); the credentials are then put back on purpose.
        ExecRequest request = Python.isolated(Python.module(ctx.env(), "twine", args))
                .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
                .timeout(timeout.multipliedBy(files.size()));
        username.ifPresent(u -> request.env("TWINE_USERNAME", u));
        password.ifPresent(p -> request.secretEnv("TWINE_PASSWORD", p));
        ExecResult result = ctx.exec(request);
        String output = String.join("\n", result.output());
        Set<String> names = files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        if (result.succeeded()) {
            return new Outcome(names, false, 0, "", output);
        }
        // twine sends the next file only after the index took the one before: all but the last one it started.
        List<String> started = result.output().stream().map(l -> UPLOADING.matcher(l.strip())).filter(Matcher::matches)
                .map(m -> m.group(1)).filter(names::contains).distinct().toList();
        Set<String> accepted = Set.copyOf(started.subList(0, Math.max(0, started.size() - 1)));
        List<String> records = records(result.output());
        int status = 0;
        String reason = "";
        for (int i = 0; i < records.size(); i++) {
            Matcher m = HTTP_ERROR.matcher(firstLine(records.get(i)));
            if (m.find()) {
                status = Integer.parseInt(m.group(1));
                reason = reason(records, i, m.group(2));
            }
        }
        boolean connection = status == 0 && (output.contains("ConnectionError") || output.contains("Connection refused")
                || output.contains("Connection aborted") || output.contains("Read timed out"));
        return new Outcome(accepted, status >= 500 || connection, status, reason, output);
    }

    /**
     * The index's own words for the refusal reported by {@code records[error]}: the HTTP reason phrase
     * when it says more than the status's name (PyPI puts its reason there), else the response body
     * that {@code --verbose} logs right after the status line, without HTML tags.
     */
    private static String reason(List<String> records, int error, String statusName) {
        String phrase = rest(records.get(error));
        if (!phrase.isEmpty() && !phrase.equalsIgnoreCase(statusName)) {
            return phrase;
        }
        for (int i = error - 1; i >= 0; i--) {
            if (firstLine(records.get(i)).matches("INFO\\s+Response from .*")) {
                String body = i + 1 < error ? records.get(i + 1) : "";
                return body.startsWith("INFO") ? oneLine(LEVEL.matcher(body).replaceFirst("").replaceAll("<[^>]*>", " ")) : "";
            }
        }
        return "";
    }

    /** twine's log records: a record's continuation lines are indented under its level. */
    private static List<String> records(List<String> lines) {
        List<String> records = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !records.isEmpty()) {
                records.set(records.size() - 1, records.get(records.size() - 1) + "\n" + line.strip());
            } else {
                records.add(line.strip());
            }
        }
        return records;
    }

    private static String firstLine(String record) {
        int end = record.indexOf('\n');
        return end < 0 ? record : record.substring(0, end);
    }

    private static String rest(String record) {
        int end = record.indexOf('\n');
        return end < 0 ? "" : oneLine(record.substring(end + 1));
    }

    /** Whitespace (twine's line wrapping, the body's own lines) collapsed to single spaces; at most 500 characters. */
    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 500 ? flat : flat.substring(0, 500) + "…";
    }
}
