package io.slipway.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Facts a step records about its own progress, kept in the release journal so that they survive a
 * crash. {@link #put} returns only after the fact is durably on disk, so the pattern
 *
 * <pre>{@code
 * journal.put("upload:" + file, "started");
 * upload(file);
 * journal.put("upload:" + file, "done");
 * }</pre>
 *
 * tells a later attempt exactly which side effects may have happened. Facts belong to one step of
 * one release and are discarded with {@code --restart}. Never store secrets here.
 */
public interface StepJournal {

    Optional<String> get(String key);

    /** Records a fact durably (atomic write of the journal) before returning. */
    void put(String key, String value);

    void remove(String key);

    /** All facts of this step, in the order they were first recorded. */
    Map<String, String> entries();
}
