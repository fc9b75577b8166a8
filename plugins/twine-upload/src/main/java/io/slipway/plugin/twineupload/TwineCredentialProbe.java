package io.slipway.plugin.twineupload;

import io.slipway.python.Credentials;
import io.slipway.spi.CredentialProbe;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Tells the approval step whether twine-upload would find credentials for a target, looking where
 * the upload looks ({@link Credentials}); trusted publishing counts as found.
 */
@Extension
public class TwineCredentialProbe implements CredentialProbe {

    @Override
    public Optional<String> findSource(String target, Map<String, String> env) {
        return Credentials.of(env).find(target).map(Credentials.Found::source);
    }

    @Override
    public Optional<String> hint(String target) {
        return Optional.of(Credentials.hint(target));
    }
}
