package io.slipway.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Tells the runner whether credentials for an upload target are present, for the
 * {@code approval} step's credential policy in non-interactive runs. A plugin that uploads
 * somewhere contributes one as a PF4J extension.
 *
 * <p>Implementations only look; they never return, log or store a secret value.
 */
public interface CredentialProbe extends org.pf4j.ExtensionPoint {

    /**
     * The source that provides credentials for {@code target} (e.g.
     * {@code "TWINE_USERNAME/TWINE_PASSWORD"}, {@code "~/.pypirc [pypi]"}), or empty if this probe
     * knows the target but finds no credentials, or does not know the target.
     *
     * @param target a target name used in the script, e.g. {@code pypi}
     * @param env    the pipeline's environment
     */
    Optional<String> findSource(String target, Map<String, String> env);

    /** One sentence on how to provide credentials for {@code target}, or empty if unknown here. */
    Optional<String> hint(String target);
}
