package io.slipway.plugin.pypicheck;

import io.slipway.python.Credentials;
import io.slipway.spi.CredentialProbe;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/** Lets the approval policy see credentials for twine targets, from the sources twine-upload uses. */
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
