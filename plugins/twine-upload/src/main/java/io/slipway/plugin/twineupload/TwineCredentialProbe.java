package io.slipway.plugin.twineupload;

import io.slipway.python.Credentials;
import io.slipway.spi.CredentialProbe;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Tells the approval step whether twine-upload would find credentials for a target, looking where
 * the upload looks ({@link Credentials}), and which credential values exist, for masking.
 */
@Extension
public class TwineCredentialProbe implements CredentialProbe {

    @Override
    public Optional<String> findSource(String target, Map<String, String> env) {
        return Credentials.of(env).find(target).map(Credentials.Found::source);
    }

    @Override
    public Optional<String> hint(String target, Map<String, String> env) {
        return Optional.of(Credentials.of(env).hint(target));
    }

    @Override
    public List<String> secrets(Map<String, String> env) {
        return Credentials.of(env).secrets();
    }
}
