package io.slipway.runner.approval;

import io.slipway.runner.journal.StepRecord;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Built-in {@code approval}: shows what is about to happen and asks a person, or in a
 * non-interactive run grants itself only when credentials for every target are present.
 *
 * <p>Everything it shows comes from its inputs (journaled with the step), the credential probes
 * and, for the steps named as checks, their journal records. At a terminal the summary is laid out
 * for the screen: hashes shortened to fit its width, commits and release notes cut to its height;
 * the details show every value in full.
 */
public final class ApprovalStep implements StepType {

    /** The shortest a shortened sha256 gets; the details show all 64 characters. */
    private static final int SHORT_HASH = 12;

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
                InputSpec.optional("target-urls", InputType.MAP, Map.of(), "target name to the index URL it publishes to"),
                InputSpec.optional("files", InputType.LIST, List.of(), "artifacts about to be published"),
                InputSpec.optional("sha256", InputType.MAP, Map.of(), "artifact path to sha256"),
                InputSpec.optional("sizes", InputType.MAP, Map.of(), "artifact path to size in bytes"),
                InputSpec.optional("tags", InputType.LIST, List.of(), "the tags about to be pushed"),
                InputSpec.optional("commit", InputType.STRING, null, "the commit the tags will point at"),
                InputSpec.optional("branch", InputType.STRING, null, "the branch pushed with the tags"),
                InputSpec.optional("commits", InputType.LIST, List.of(), "commits since the last release"),
                InputSpec.optional("checks", InputType.LIST, List.of(),
                        "steps (job/step) whose results are shown, e.g. the tests and the rehearsal"),
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
        List<String> targets = ctx.list("targets");
        List<String> fixed = new ArrayList<>();
        fixed.add("release " + ctx.version() + (ctx.pipeline().equals("release") ? "" : " (pipeline " + ctx.pipeline() + ")")
                + ", approval " + gate + (ctx.dryRun() ? " (dry run)" : ""));
        Map<String, String> urls = ctx.map("target-urls");
        for (String target : targets) {
            fixed.add("target: " + target + (urls.containsKey(target) ? "  " + urls.get(target) : ""));
            Approvals.Credentials credentials = approvals.credentials(target, ctx.env());
            fixed.add("  credentials: " + credentials.source().orElseGet(() -> "MISSING, the upload would fail"
                    + credentials.hint().map(h -> "; " + h).orElse("")));
        }
        List<String> tags = ctx.list("tags");
        String branch = ctx.optionalString("branch").orElse(null);
        if (!tags.isEmpty()) {
            fixed.add("tags: " + String.join(", ", tags) + ctx.optionalString("commit").map(c -> " -> " + shortSha(c)).orElse("")
                    + (branch == null ? "" : ", pushed with branch " + branch));
        } else if (branch != null) {
            fixed.add("push: branch " + branch);
        }
        List<String> checks = ctx.list("checks");
        if (!checks.isEmpty()) {
            int w = checks.stream().mapToInt(String::length).max().orElse(0);
            fixed.add("checks:");
            checks.forEach(c -> fixed.add("  " + pad(c, w) + "  " + approvals.result(c).map(ApprovalStep::result).orElse("no record")));
        }
        List<String> commits = ctx.list("commits");
        List<String> notes = ctx.optionalString("release-notes").map(n -> n.isBlank() ? List.of("(none)") : n.lines().toList())
                .orElse(null);
        Approvals.Summary summary = (width, rows) -> {
            List<String> lines = new ArrayList<>(fixed.subList(0, 1));
            lines.addAll(files(ctx, width));
            lines.addAll(fixed.subList(1, fixed.size()));
            int left = rows - lines.size();
            int forNotes = notes == null ? 0 : Math.max(1, Math.min(notes.size() + 1, left / 2));
            int forCommits = commits.isEmpty() ? 0 : Math.max(1, left - forNotes);
            forNotes = notes == null ? 0 : Math.max(forNotes, left - Math.min(forCommits, commits.size() + 1));
            if (!commits.isEmpty()) {
                lines.addAll(section("commits since the last release (" + commits.size() + "):", commits, forCommits));
            }
            if (notes != null) {
                lines.addAll(section("release notes:", notes, forNotes));
            }
            return lines;
        };
        List<String> details = new ArrayList<>();
        Map<String, String> sha = ctx.map("sha256");
        Map<String, String> sizes = ctx.map("sizes");
        for (String f : ctx.list("files")) {
            details.add(name(f) + "  " + sizes.getOrDefault(f, "?") + " bytes  sha256 " + sha.getOrDefault(f, "?"));
        }
        ctx.optionalString("commit").ifPresent(c -> details.add("tags point at " + c));
        if (!commits.isEmpty()) {
            details.add("commits since the last release:");
            commits.forEach(c -> details.add("  " + c));
        }
        if (notes != null) {
            details.add("release notes:");
            notes.forEach(n -> details.add("  " + n));
        }
        ctx.optionalString("notes").ifPresent(details::add);
        approvals.decide(ctx, gate, "approve release " + ctx.version() + "?", summary, details, targets, false);
        return StepResult.success("approved");
    }

    /** One line per file: name, size and as much of the sha256 as the width leaves room for (at least {@value #SHORT_HASH} characters). */
    private static List<String> files(StepContext ctx, int width) {
        List<String> files = ctx.list("files");
        if (files.isEmpty()) {
            return List.of();
        }
        Map<String, String> sha = ctx.map("sha256");
        Map<String, String> sizes = ctx.map("sizes");
        int nameWidth = files.stream().mapToInt(f -> name(f).length()).max().orElse(0);
        int sizeWidth = files.stream().mapToInt(f -> size(sizes.get(f)).length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("files:");
        for (String f : files) {
            String line = "  " + pad(name(f), nameWidth) + "  " + " ".repeat(sizeWidth - size(sizes.get(f)).length())
                    + size(sizes.get(f)) + "  sha256 ";
            String hash = sha.getOrDefault(f, "?");
            lines.add(line + hash.substring(0, Math.min(hash.length(), Math.max(SHORT_HASH, width - line.length()))));
        }
        return lines;
    }

    /** A heading and its items in at most {@code rows} lines: the first items and how many more the details show. */
    private static List<String> section(String heading, List<String> items, int rows) {
        List<String> lines = new ArrayList<>();
        if (items.size() < rows) {
            lines.add(heading);
            items.forEach(i -> lines.add("  " + i));
        } else if (rows >= 3) {
            lines.add(heading);
            items.subList(0, rows - 2).forEach(i -> lines.add("  " + i));
            lines.add("  ... " + (items.size() - rows + 2) + " more: [d]etails");
        } else {
            lines.add(heading + " [d]etails");
        }
        return lines;
    }

    private static String result(StepRecord r) {
        String took = r.started != null && r.ended != null
                ? String.format(Locale.ROOT, "  %.1fs", Duration.between(r.started, r.ended).toMillis() / 1000.0) : "";
        return r.status.name().toLowerCase(Locale.ROOT) + took + (r.message == null ? "" : "  " + r.message);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Bytes as people read them; the details have the exact count. */
    static String size(String bytes) {
        if (bytes == null || !bytes.matches("\\d{1,18}")) {
            return "? B";
        }
        long n = Long.parseLong(bytes);
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private static String shortSha(String commit) {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
