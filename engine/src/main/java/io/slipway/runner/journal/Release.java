package io.slipway.runner.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which release a journal belongs to; a journal records it and is resumed only by the same release.
 *
 * <p>The script is identified by its path relative to the repository, not by its content: fixing
 * release.kts and running the same command again is how a failed release continues, so an edited
 * script must resume, while another script (or the same journal copied to another version's
 * folder, another repository or another state dir) must not.
 *
 * @param repository the repository the release runs in, as a real path
 * @param script     the script's path relative to {@code repository}
 */
public record Release(String pipeline, String version, boolean dryRun, String repository, String script) {

    /** "release 1.2.0 of pipeline 'release'", "dry run of ...". */
    public String describe() {
        return (dryRun ? "dry run of " : "") + "release " + version + " of pipeline '" + pipeline + "'";
    }

    /**
     * How a journal's record differs from this release, as "recorded, not this" phrases; empty if it is
     * this release's. A journal written before repository and script were recorded matches any.
     */
    List<String> differences(JournalData d) {
        List<String> out = new ArrayList<>();
        if (!pipeline.equals(d.pipeline)) {
            out.add("pipeline '" + d.pipeline + "', not '" + pipeline + "'");
        }
        if (!version.equals(d.version)) {
            out.add("version " + d.version + ", not " + version);
        }
        if (dryRun != d.dryRun) {
            out.add(d.dryRun ? "a dry run, not a release" : "a release, not a dry run");
        }
        if (d.repository != null && !repository.equals(d.repository)) {
            out.add("repository " + d.repository + ", not " + repository);
        }
        if (d.script != null && !script.equals(d.script)) {
            out.add("script " + d.script + ", not " + script);
        }
        return out;
    }
}
