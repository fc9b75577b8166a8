package io.slipway.runner.plugin;

import io.slipway.spi.StepType;
import java.util.Arrays;
import java.util.List;

/** A step catalog of given step types, for tests that plan and run pipelines in-process. */
public final class Catalogs {

    private Catalogs() {
    }

    public static StepCatalog of(StepType... types) {
        return new StepCatalog(Arrays.stream(types).map(t -> new StepCatalog.Entry(t, "test")).toList(), List.of(), List.of(), List.of());
    }
}
