package io.slipway.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule an input's value must follow, beyond its {@link InputType}. The runner applies it to
 * values written in the script before anything runs ({@code runner validate}, the start of a run:
 * exit 2, naming the script line), and to values that come from another step's outputs when the
 * step starts. Declare it with {@link InputSpec#withCheck}.
 */
@FunctionalInterface
public interface InputCheck {

    /**
     * What is wrong with one value, as the end of the sentence "input 'name' ..." (e.g.
     * {@code "must be one of pypi, testpypi, not \"pipy\""}), or empty when the value is fine. Called
     * with the converted value: a String, Boolean or Integer; each item of a LIST; each value of a MAP.
     */
    Optional<String> problem(Object value);

    /** A command line the shell can parse ({@code sh -n}). */
    static InputCheck shellCommand() {
        return v -> ShellCommand.syntaxProblem(v.toString()).map(p -> "is a command the shell cannot parse (" + p + "): " + v);
    }

    /** One of the given strings. */
    static InputCheck oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return v -> values.contains(v.toString()) ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", values) + ", not \"" + v + "\"");
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    static InputCheck range(long min, long max) {
        return v -> {
            long n = ((Number) v).longValue();
            return n >= min && n <= max ? Optional.empty()
                    : Optional.of("must be from " + min + " to " + max + ", not " + n);
        };
    }

    /** An absolute {@code http://} or {@code https://} URL with a host. */
    static InputCheck url() {
        return v -> {
            try {
                URI uri = new URI(v.toString());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                    return Optional.empty();
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            return Optional.of("must be an http(s) URL with a host, not \"" + v + "\"");
        };
    }

    /** Text matching a regular expression; {@code what} describes it for the message ("a tag format with {version}"). */
    static InputCheck pattern(String regex, String what) {
        Pattern p = Pattern.compile(regex);
        return v -> p.matcher(v.toString()).matches() ? Optional.empty() : Optional.of("must be " + what + ", not \"" + v + "\"");
    }
}
