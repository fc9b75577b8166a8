package com.example.slipway.changelog;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code changelog-entry}: fails unless the changelog has a section for the release version, and
 * outputs the section's text so later steps can use it as release notes.
 *
 * <p>Idempotent because it only reads. It journals a digest of the text it returned, so that a
 * later attempt of the same release warns when the section was edited in between: notes already
 * published by an earlier attempt would then differ from the changelog.
 */
@Extension
public class ChangelogEntry implements StepType {

    static final String DIGEST = "section-sha256";

    @Override
    public String id() {
        return "changelog-entry";
    }

    @Override
    public String description() {
        return "Fails unless the changelog has a section for the release version; outputs the section's text.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("file", InputType.STRING, "CHANGELOG.md", "the changelog, relative to the repository root"),
                InputSpec.optional("allow-empty", InputType.BOOLEAN, false, "accept a section that has a heading but no text"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("text", InputType.STRING, "the section's text without its heading"),
                new OutputSpec("heading", InputType.STRING, "the section's heading, e.g. \"## [1.2.0] - 2026-11-23\""));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String name = ctx.string("file");
        String version = ctx.version();
        Path file = ctx.workspace().resolve(name);
        String suggested = "## [" + version + "] - " + LocalDate.now();
        if (!Files.isRegularFile(file)) {
            throw new StepException("the changelog \"" + name + "\" does not exist in " + ctx.workspace(),
                    "create it with a section \"" + suggested + "\", or set the input file");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ChangelogSection section = ChangelogSection.find(lines, version).orElseThrow(() -> new StepException(
                name + " has no section for " + version,
                ChangelogSection.unreleased(lines)
                        .map(line -> "rename the Unreleased heading at " + name + ":" + line + " to \"" + suggested + "\"")
                        .orElse("add a section \"" + suggested + "\" that says what changed")));
        String where = name + ":" + section.line();
        if (section.text().isEmpty() && !ctx.bool("allow-empty")) {
            throw new StepException("the section for " + version + " at " + where + " is empty",
                    "write what changed under \"" + section.heading() + "\", or set allow-empty to true");
        }

        String digest = sha256(section.text());
        ctx.journal().get(DIGEST).filter(d -> !d.equals(digest)).ifPresent(d -> ctx.log().warn(
                "the section at " + where + " changed since an earlier attempt of this release; "
                        + "notes published by that attempt show the old text"));
        ctx.journal().put(DIGEST, digest);

        ctx.log().info(where + " " + section.heading() + " (" + section.text().lines().count() + " lines)");
        section.text().lines().forEach(ctx.log()::detail);
        ctx.output("text", section.text());
        ctx.output("heading", section.heading());
        return StepResult.success(where + " " + section.heading());
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
