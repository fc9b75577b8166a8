/**
 * The Slipway step plugin API: everything a plugin author compiles against.
 *
 * <p>A plugin contributes {@link io.slipway.spi.StepType} extensions. The runner resolves every
 * step of a pipeline to a step type before anything runs, checks its inputs against
 * {@link io.slipway.spi.StepType#inputs()}, and later calls {@link io.slipway.spi.StepType#run}
 * with a {@link io.slipway.spi.StepContext}. The types here are the whole contract; nothing in
 * the runner module is meant for plugins.
 *
 * <p>Stability: this package follows semantic versioning through {@link io.slipway.spi.Spi#VERSION};
 * plugins declare {@code plugin.requires} against it.
 */
package io.slipway.spi;
