package io.slipway.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials written into a URL ({@code https://user:secret@host/simple/}). {@link #strip} gives
 * the form a URL may be shown, stored or put on a command line in; {@link #in} gives the
 * credentials, to pass through a subprocess's environment or an HTTP header. The runner strips
 * every URL in everything it shows or stores, and masks the secrets of the URLs it is given.
 *
 * <pre>{@code
 * String shown = UrlCredentials.strip("https://__token__:pypi-abc@upload.example/");  // https://upload.example/
 * UrlCredentials login = UrlCredentials.in(url).get(0);   // username "__token__", password "pypi-abc"
 * }</pre>
 *
 * @param username percent-decoded
 * @param password percent-decoded; empty when the user info holds no {@code :}
 */
public record UrlCredentials(String username, Optional<String> password) {

    /**
     * A scheme, {@code ://} and the user info up to the last {@code @} before the host. The user info
     * ends at whatever ends the authority or the text ({@code / ? #}, white space, quotes, angle
     * brackets), so an {@code @} later in a path, a query or another word is not taken for it.
     */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^\\s/?#\"'<>]*)@");

    /** {@code text} with the user info taken out of every URL in it; text without such URLs is returned as it is. */
    public static String strip(String text) {
        return USER_INFO.matcher(text).replaceAll("$1");
    }

    /** The credentials of every URL in {@code text} that has user info, in order; empty if none has. */
    public static List<UrlCredentials> in(String text) {
        List<UrlCredentials> found = new ArrayList<>();
        Matcher m = USER_INFO.matcher(text);
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            found.add(colon < 0 ? new UrlCredentials(decode(userInfo), Optional.empty())
                    : new UrlCredentials(decode(userInfo.substring(0, colon)), Optional.of(decode(userInfo.substring(colon + 1)))));
        }
        return found;
    }

    /** What must stay hidden: the password, or the user name when there is none (a token written as the user). */
    public String secret() {
        return password.orElse(username);
    }

    /** Percent-decoding as in URLs, where {@code +} is a plus (URLDecoder alone would make it a space). */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return s; // a stray % that starts no escape: the value was written as it is
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "credentials of user " + (password.isPresent() ? username : "***");
    }
}
