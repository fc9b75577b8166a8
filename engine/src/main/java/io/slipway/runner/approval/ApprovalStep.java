package io.slipway.runner.approval;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Built-in {@code approval}: shows what is about to happen and asks a person, or in a
 * non-interactive run grants itself only when credentials for every target are present.
 */
public final class ApprovalStep implements StepType {

    private final Approvals approvals;

    public ApprovalStep(Approvals approvals) {
        this.approvals = approvals;
    }

    @Override
    public String id() {
        return "approval";
    }

    @Override
    public String description() {
        return "Asks for approval (terminal prompt), or in CI approves when credentials for every target are present.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("targets", InputType.LIST, List.of(), "upload targets whose credentials the policy requires"),
                InputSpec.optional("files", InputType.LIST, List.of(), "artifacts about to be published"),
                InputSpec.optional("sha256", InputType.MAP, Map.of(), "artifact path to sha256"),
                InputSpec.optional("sizes", InputType.MAP, Map.of(), "artifact path to size in bytes"),
                InputSpec.optional("tag", InputType.STRING, null, "the tag about to be pushed"),
                InputSpec.optional("commits", InputType.LIST, List.of(), "commits since the last release"),
                InputSpec.optional("release-notes", InputType.STRING, null, "the release's changelog entries, shown with the summary"),
                InputSpec.optional("notes", InputType.STRING, null, "anything else the approver should read"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("decision", InputType.STRING, "approved"));
    }

    @Override
    public StepResult run(StepContext ctx) throws GateException {
        String gate = ctx.stepId().substring(ctx.stepId().indexOf('/') + 1);
        List<String> summary = new ArrayList<>();
        summary.add("release " + ctx.pipeline() + " " + ctx.version());
        List<String> targets = ctx.list("targets");
        if (!targets.isEmpty()) {
            summary.add("targets: " + String.join(", ", targets));
        }
        Map<String, String> sha = ctx.map("sha256");
        Map<String, String> sizes = ctx.map("sizes");
        for (String f : ctx.list("files")) {
            summary.add("  " + f.substring(f.lastIndexOf('/') + 1) + "  " + sizes.getOrDefault(f, "?") + " bytes  sha256 "
                    + sha.getOrDefault(f, "?"));
        }
        ctx.optionalString("tag").ifPresent(t -> summary.add("tag: " + t));
        ctx.optionalString("release-notes").ifPresent(notes -> {
            summary.add("release notes:");
            (notes.isBlank() ? List.of("(none)") : notes.lines().toList()).forEach(l -> summary.add("  " + l));
        });
        List<String> details = new ArrayList<>(ctx.list("commits").stream().map(c -> "  " + c).toList());
        if (!details.isEmpty()) {
            details.add(0, "commits since the last release:");
        }
        ctx.optionalString("notes").ifPresent(details::add);
        approvals.decide(ctx, gate, "approve release " + ctx.version() + "?", summary, details, targets, false);
        return StepResult.success("approved");
    }
}
