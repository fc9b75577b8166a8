package io.slipway.spi;

/**
 * The step's log. Lines go to the console and the release log, with every known secret value
 * replaced by {@code ***}.
 */
public interface StepLog {

    /** A line everyone should see. */
    void info(String line);

    /** Something that did not fail the step but deserves attention. */
    void warn(String line);

    /** Detail for the log file; shown on the console only with {@code --debug}. */
    void detail(String line);
}
