package io.slipway.plugin.twineupload;

import io.slipway.python.Credentials;
import io.slipway.python.IndexClient;
import io.slipway.python.IndexException;
import io.slipway.python.IndexFile;
import io.slipway.python.ProjectFiles;
import io.slipway.python.ProjectName;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Uploads a package's files with one twine call, each file at most once to one index. Journal
 * facts: {@code upload:<file name>} is {@code in-flight <sha256> to <destination>} while twine runs
 * and {@code done <sha256> to <destination>} after, where the destination is the upload URL and the
 * index's identity ({@link UploadTarget#destination()}): a record of an upload to another index,
 * such as an earlier rehearsal index, does not count. Every file of the call is marked in flight
 * before twine starts; each attempt asks the index first, so a retry after a 5xx or a resume after a
 * crash in the middle of the call never uploads a file the index already has.
 */
final class PackageUpload {

    /** How PyPI ("File already exists", "This filename has already been used") and others say a file name is taken. */
    private static final Pattern ALREADY_EXISTS = Pattern.compile("already exists|already been used", Pattern.CASE_INSENSITIVE);

    private final StepContext ctx;
    private final UploadTarget target;
    private final IndexClient index;
    private final Twine twine;

    PackageUpload(StepContext ctx, UploadTarget target, IndexClient index, Twine twine) {
        this.ctx = ctx;
        this.target = target;
        this.index = index;
        this.twine = twine;
    }

    /**
     * Uploads the project's files (path → sha256, in upload order) that this index does not hold yet.
     * Returns how many this run sent; the others were already there.
     */
    int once(ProjectName project, Map<Path, String> files) throws StepException, InterruptedException {
        Map<Path, String> pending = new LinkedHashMap<>();
        // In twine's order, which sends a package's wheels before its sdist whatever the order of its arguments.
        Map<Path, String> inTwinesOrder = new LinkedHashMap<>();
        files.forEach((file, sha256) -> {
            if (file.getFileName().toString().endsWith(".whl")) {
                inTwinesOrder.put(file, sha256);
            }
        });
        inTwinesOrder.putAll(files);
        inTwinesOrder.forEach((file, sha256) -> {
            // The journal answers first: right after an upload, PyPI's cached simple pages may not list the file yet.
            if (ctx.journal().get(key(file)).filter(done(sha256)::equals).isPresent()) {
                ctx.log().info(file.getFileName() + " was already uploaded to " + target.repository() + " (journal); skipped");
            } else {
                pending.put(file, sha256);
            }
        });
        Set<Path> sent = new HashSet<>();
        Duration pause = TwineUpload.FIRST_PAUSE;
        Twine.Outcome outcome = null;
        for (int attempt = 1; ; attempt++) {
            settleWithIndex(project, pending, sent);
            if (pending.isEmpty()) {
                return sent.size();
            }
            String failed = pending.keySet().iterator().next().getFileName().toString();
            if (outcome != null && !outcome.transientFailure()) {
                throw refused(failed, outcome);
            }
            if (attempt > TwineUpload.ATTEMPTS) {
                throw new StepException("uploading " + failed + " to " + target.repository() + " failed " + TwineUpload.ATTEMPTS
                        + " times" + (outcome.status() > 0 ? " (last: HTTP " + outcome.status() + ")" : " (connection error)"),
                        "check that the repository is reachable and run the release again; it resumes with this file");
            }
            if (outcome != null) {
                ctx.log().warn("uploading " + failed + " failed" + (outcome.status() > 0 ? " with HTTP " + outcome.status() : "")
                        + "; retrying in " + pause.toMillis() + " ms (attempt " + attempt + " of " + TwineUpload.ATTEMPTS + ")");
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2);
            }
            for (Map.Entry<Path, String> file : pending.entrySet()) {
                ctx.journal().put(key(file.getKey()), "in-flight " + file.getValue() + " to " + target.destination());
            }
            sent.addAll(pending.keySet());
            outcome = twine.upload(List.copyOf(pending.keySet()));
            // twine goes on to the next file only after the index accepted the one before.
            for (Iterator<Map.Entry<Path, String>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Path, String> file = it.next();
                if (outcome.accepted().contains(file.getKey().getFileName().toString())) {
                    ctx.journal().put(key(file.getKey()), done(file.getValue()));
                    ctx.log().info("uploaded " + file.getKey().getFileName() + " to " + target.repository());
                    it.remove();
                }
            }
        }
    }

    /**
     * Takes out of {@code pending} every file the index lists with the same sha256 (journaled done): it
     * arrived before a crash, or after a failed attempt (the answer was lost, or twine's own 5xx retry
     * re-sent it and got "already exists"). The same name with another sha256 is a hard error.
     */
    private void settleWithIndex(ProjectName project, Map<Path, String> pending, Set<Path> sent) throws StepException {
        if (pending.isEmpty()) {
            return;
        }
        Optional<ProjectFiles> listing = read(project);
        for (Iterator<Map.Entry<Path, String>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, String> file = it.next();
            String name = file.getKey().getFileName().toString();
            Optional<IndexFile> listed = listing.flatMap(l -> l.file(name));
            if (listed.isPresent()) {
                requireSame(listed.get(), file.getValue());
                ctx.journal().put(key(file.getKey()), done(file.getValue()));
                ctx.log().info(name + (sent.contains(file.getKey()) ? " is on " + target.index() + " with the same sha256 after all"
                        : " is already on " + target.index() + " with the same sha256; skipped"));
                it.remove();
            }
        }
    }

    private static String key(Path file) {
        return "upload:" + file.getFileName();
    }

    private String done(String sha256) {
        return "done " + sha256 + " to " + target.destination();
    }

    /** Download URLs of the project's files as the index lists them; the project page for any not listed yet. */
    Map<String, String> urls(ProjectName project, List<Path> files) throws StepException {
        Optional<ProjectFiles> listing = read(project);
        Map<String, String> urls = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            urls.put(name, listing.flatMap(l -> l.file(name)).map(f -> f.url().toString())
                    .orElse(target.projectPage(project, ctx.version())));
        }
        return urls;
    }

    private Optional<ProjectFiles> read(ProjectName project) throws StepException {
        try {
            return index.files(project.name());
        } catch (IndexException e) {
            throw new StepException("cannot check what " + target.index() + " holds: " + e.getMessage(),
                    "check the index-url input and the network; run the release again, it resumes with the files the index does not list");
        }
    }

    private void requireSame(IndexFile listed, String sha256) throws StepException {
        String theirs = listed.sha256().orElseThrow(() -> new StepException(target.index() + " lists "
                + listed.fileName() + " without a sha256, so it cannot be compared with this build",
                "compare the file on the index with the local one by hand; if they are the same, remove it from files"));
        if (!theirs.equalsIgnoreCase(sha256)) {
            throw new StepException(target.index() + " already has " + listed.fileName() + " with sha256 " + theirs
                    + ", but this build's file has sha256 " + sha256,
                    "a file name can be uploaded only once: release a new version (the index never replaces a file);"
                            + " if this is a rehearsal index such as TestPyPI holding an earlier build of this release,"
                            + " rehearse the rebuilt files elsewhere (reference pipeline: --set rehearsal-repository=local)");
        }
    }

    /**
     * One sentence for each kind of refusal, in the index's own words; 4xx are never retried. "Already
     * exists" only when the index says so: PyPI also answers 400 for invalid metadata or a refused version.
     */
    private StepException refused(String name, Twine.Outcome outcome) {
        String repo = target.repository();
        String credentialsHint = "give credentials for \"" + repo + "\": " + Credentials.of(ctx.env()).hint(repo)
                + "; or the password (and username) inputs";
        if (outcome.status() == 0 && outcome.output().contains("Credential not found")) {
            return new StepException("no credentials for \"" + repo + "\" to upload " + name, credentialsHint);
        }
        if (outcome.status() == 0) {
            return new StepException("twine upload of " + name + " failed:\n" + tail(outcome.output()),
                    "fix what twine reports above and run the release again");
        }
        if (outcome.status() == 401 || outcome.status() == 403) {
            return new StepException(repo + " refused the credentials for \"" + repo + "\""
                    + twine.credentialSource().map(s -> " (from " + s + ")").orElse("") + " with HTTP "
                    + outcome.status() + " uploading " + name + (outcome.reason().isEmpty() ? "" : ": " + outcome.reason()),
                    credentialsHint);
        }
        String refused = repo + " refused " + name + " with HTTP " + outcome.status()
                + (outcome.reason().isEmpty() ? " and gave no reason" : ": " + outcome.reason());
        if (ALREADY_EXISTS.matcher(outcome.reason()).find()) {
            return new StepException(refused, "a file name can be uploaded only once, even after it was deleted:"
                    + " release a new version");
        }
        return new StepException(refused, outcome.reason().isEmpty()
                ? "run twine upload --verbose on the file by hand to see the index's whole answer"
                : "fix what the index reports, build again and run the release again");
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
