package io.slipway.runner.cli;

import io.slipway.runner.engine.Plan;
import io.slipway.runner.model.OutputRef;
import java.io.PrintStream;

/** Prints a plan: jobs in order with what they need, steps with their types and inputs. */
final class PlanPrinter {

    private PlanPrinter() {
    }

    static void print(Plan plan, PrintStream out) {
        if (!plan.pipeline().detected().isEmpty()) {
            out.println("detected in the repository");
            plan.pipeline().detected().forEach(line -> out.println("  " + line));
        }
        out.println("pipeline " + plan.pipeline().name());
        for (String job : plan.order()) {
            out.println("  job " + job + (plan.needs(job).isEmpty() ? "" : " (needs " + String.join(", ", plan.needs(job)) + ")"));
            for (Plan.PlannedStep s : plan.steps(job)) {
                out.println("    step " + s.address() + " uses " + s.type().id() + " [" + s.origin() + "]");
                var secret = s.type().inputs().stream().filter(i -> i.secret()).map(i -> i.name()).toList();
                s.step().inputs().forEach((k, v) -> out.println("      " + k + " = "
                        + (secret.contains(k) && !(v instanceof OutputRef) ? "***" : v)));
            }
        }
    }
}
