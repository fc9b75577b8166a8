package io.slipway.python;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as PEP 440 defines it: parsed leniently (the spellings the PEP's normalisation
 * section accepts, e.g. {@code v1.0-RC1}, {@code 1.0-r4}, {@code 1.0+ubuntu-1}), shown normalised,
 * and ordered the way pip and PyPI order versions.
 *
 * <pre>{@code
 * Pep440Version v = Pep440Version.parse("1.1RC1");
 * v.toString();                                    // "1.1rc1"
 * v.isPreRelease();                                // true
 * v.compareTo(Pep440Version.parse("1.1")) < 0;     // true
 * }</pre>
 *
 * <p>Equality follows the PEP: {@code 1.0} equals {@code 1.0.0} (trailing zeros of the release
 * do not count), while {@link #toString()} keeps the segments as written.
 */
public final class Pep440Version implements Comparable<Pep440Version> {

    /** The grammar of PEP 440's appendix "Parsing version strings with regular expressions". */
    private static final Pattern GRAMMAR = Pattern.compile(
            "v?"
            + "(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
            + "(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?"
            + "(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    /** The kind of a pre-release, in ascending order. */
    public enum PreKind {
        ALPHA("a"), BETA("b"), RELEASE_CANDIDATE("rc");

        private final String label;

        PreKind(String label) {
            this.label = label;
        }

        /** The normalised spelling: {@code a}, {@code b} or {@code rc}. */
        public String label() {
            return label;
        }
    }

    private final BigInteger epoch;
    private final List<BigInteger> release;
    private final PreKind preKind;
    private final BigInteger preNumber;
    private final BigInteger post;
    private final BigInteger dev;
    private final List<String> local;

    private Pep440Version(BigInteger epoch, List<BigInteger> release, PreKind preKind, BigInteger preNumber,
                          BigInteger post, BigInteger dev, List<String> local) {
        this.epoch = epoch;
        this.release = List.copyOf(release);
        this.preKind = preKind;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = List.copyOf(local);
    }

    /**
     * Parses a version; surrounding whitespace and a leading {@code v} are allowed.
     *
     * @throws IllegalArgumentException naming the string if it is not a PEP 440 version
     */
    public static Pep440Version parse(String text) {
        Objects.requireNonNull(text, "version");
        Matcher m = GRAMMAR.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid PEP 440 version"
                    + " (expected forms like 1.2.3, 1.2.3rc1, 1.2.3.post1, 1.2.3.dev4, 1!2.0 or 1.2.3+local.7)");
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = Arrays.stream(m.group("release").split("\\.")).map(BigInteger::new).toList();
        PreKind preKind = m.group("preL") == null ? null : preKind(m.group("preL"));
        BigInteger preNumber = preKind == null ? null : number(m.group("preN"));
        BigInteger post = m.group("postN1") != null ? new BigInteger(m.group("postN1"))
                : m.group("postL") != null ? number(m.group("postN2")) : null;
        BigInteger dev = m.group("devL") == null ? null : number(m.group("devN"));
        List<String> local = m.group("local") == null ? List.of()
                : Arrays.stream(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")).map(Pep440Version::localPart)
                        .toList();
        return new Pep440Version(epoch, release, preKind, preNumber, post, dev, local);
    }

    /** Whether {@link #parse} accepts the string. */
    public static boolean isValid(String text) {
        return text != null && GRAMMAR.matcher(text.strip()).matches();
    }

    private static PreKind preKind(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "a", "alpha" -> PreKind.ALPHA;
            case "b", "beta" -> PreKind.BETA;
            default -> PreKind.RELEASE_CANDIDATE; // c, rc, pre, preview
        };
    }

    /** An implicit number ({@code 1.2a}, {@code 1.2.post}, {@code 1.2.dev}) is 0. */
    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    /** Numeric local segments are normalised as integers ({@code 007} is {@code 7}). */
    private static String localPart(String part) {
        return part.chars().allMatch(Character::isDigit) ? new BigInteger(part).toString() : part;
    }

    public BigInteger epoch() {
        return epoch;
    }

    /** The release segment as written, e.g. [1, 2, 0] for {@code 1.2.0}. */
    public List<BigInteger> release() {
        return release;
    }

    public Optional<PreKind> preKind() {
        return Optional.ofNullable(preKind);
    }

    public Optional<BigInteger> preNumber() {
        return Optional.ofNullable(preNumber);
    }

    public Optional<BigInteger> post() {
        return Optional.ofNullable(post);
    }

    public Optional<BigInteger> dev() {
        return Optional.ofNullable(dev);
    }

    /** The local label's segments, empty if there is none. */
    public List<String> local() {
        return local;
    }

    /** True for alpha, beta, release-candidate and development releases, as pip sees them. */
    public boolean isPreRelease() {
        return preKind != null || dev != null;
    }

    public boolean isDevRelease() {
        return dev != null;
    }

    public boolean isPostRelease() {
        return post != null;
    }

    /** True if the version has a {@code +local} label, which PyPI refuses. */
    public boolean isLocal() {
        return !local.isEmpty();
    }

    /** The same version without its local label. */
    public Pep440Version publicVersion() {
        return new Pep440Version(epoch, release, preKind, preNumber, post, dev, List.of());
    }

    /** The epoch and release only: {@code 1!2.0rc1.post3} gives {@code 1!2.0}. */
    public Pep440Version baseVersion() {
        return new Pep440Version(epoch, release, null, null, null, null, List.of());
    }

    /** The normalised form, e.g. {@code 1!2.0rc1.post3.dev4+ubuntu.1}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (epoch.signum() != 0) {
            s.append(epoch).append('!');
        }
        s.append(String.join(".", release.stream().map(BigInteger::toString).toList()));
        if (preKind != null) {
            s.append(preKind.label()).append(preNumber);
        }
        if (post != null) {
            s.append(".post").append(post);
        }
        if (dev != null) {
            s.append(".dev").append(dev);
        }
        if (!local.isEmpty()) {
            s.append('+').append(String.join(".", local));
        }
        return s.toString();
    }

    /**
     * PEP 440 ordering: epoch, release (trailing zeros ignored), then a development release of a
     * final version before its pre-releases, pre-releases before the final, post-releases after
     * it, {@code .devN} before the version it belongs to, and a local label after the public
     * version it extends.
     */
    @Override
    public int compareTo(Pep440Version other) {
        return ORDER.compare(this, other);
    }

    private static final Comparator<Pep440Version> ORDER = Comparator
            .comparing((Pep440Version v) -> v.epoch)
            .thenComparing(v -> trimmed(v.release), Pep440Version::compareNumbers)
            .thenComparing(Pep440Version::preKey)
            .thenComparing(v -> v.post, Comparator.nullsFirst(Comparator.<BigInteger>naturalOrder()))
            .thenComparing(v -> v.dev, Comparator.nullsLast(Comparator.<BigInteger>naturalOrder()))
            .thenComparing(v -> v.local, Pep440Version::compareLocal);

    private static List<BigInteger> trimmed(List<BigInteger> release) {
        int end = release.size();
        while (end > 1 && release.get(end - 1).signum() == 0) {
            end--;
        }
        return release.subList(0, end);
    }

    private static int compareNumbers(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * Ranks the pre-release part: a bare {@code .devN} (no pre, no post) sorts before every
     * pre-release of the same release, and a final release after all of them.
     */
    private static PreKey preKey(Pep440Version v) {
        if (v.preKind == null) {
            return v.post == null && v.dev != null ? PreKey.BEFORE_ALL : PreKey.AFTER_ALL;
        }
        return new PreKey(1, v.preKind.ordinal(), v.preNumber);
    }

    private record PreKey(int rank, int kind, BigInteger number) implements Comparable<PreKey> {
        static final PreKey BEFORE_ALL = new PreKey(0, 0, BigInteger.ZERO);
        static final PreKey AFTER_ALL = new PreKey(2, 0, BigInteger.ZERO);

        @Override
        public int compareTo(PreKey o) {
            int c = Integer.compare(rank, o.rank);
            c = c != 0 ? c : Integer.compare(kind, o.kind);
            return c != 0 ? c : number.compareTo(o.number);
        }
    }

    /** No local label sorts first; numeric segments beat alphanumeric ones; a longer label wins a tie. */
    private static int compareLocal(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareLocalPart(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareLocalPart(String a, String b) {
        boolean an = isNumeric(a);
        boolean bn = isNumeric(b);
        if (an && bn) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (an != bn) {
            return an ? 1 : -1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumeric(String s) {
        return s.chars().allMatch(Character::isDigit);
    }

    /** Equal in PEP 440 terms: {@code 1.0} equals {@code 1.0.0}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Pep440Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, trimmed(release), preKind, preNumber, post, dev, local);
    }
}
