package io.slipway.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the runner whether credentials for an upload target are present, for the
 * {@code approval} step's credential policy in non-interactive runs, and which credential values
 * exist at all, so that they are masked before anything runs. A plugin that uploads somewhere
 * contributes one as a PF4J extension.
 *
 * <p>Implementations only look; they never log or store a secret value.
 */
public interface CredentialProbe extends org.pf4j.ExtensionPoint {

    /**
     * The source that provides credentials for {@code target} (e.g.
     * {@code "TWINE_USERNAME/TWINE_PASSWORD"}, {@code "~/.pypirc [pypi]"}), or empty if this probe
     * knows the target but finds no credentials that an upload could use, or does not know the target.
     *
     * @param target a target name used in the script, e.g. {@code pypi}
     * @param env    the pipeline's environment
     */
    Optional<String> findSource(String target, Map<String, String> env);

    /**
     * One sentence on how to provide credentials for {@code target}, or empty if unknown here.
     *
     * @param env the pipeline's environment, e.g. to say why a source that is present does not count
     */
    Optional<String> hint(String target, Map<String, String> env);

    /**
     * Every credential value this probe could find for any target (tokens, passwords in config
     * files, credentials written into URLs). The runner masks them before the script is evaluated.
     * The default is none.
     *
     * @param env the pipeline's environment
     */
    default List<String> secrets(Map<String, String> env) {
        return List.of();
    }
}
