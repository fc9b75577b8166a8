package io.slipway.spi;

/** The version of this API, matched against a plugin's {@code plugin.requires} (e.g. {@code >=0.1.0}). */
public final class Spi {
    /** Bumped in its minor part for additions, in its major part for breaking changes. */
    public static final String VERSION = "0.1.0";

    private Spi() {
    }
}
