package io.slipway.plugin.tagging;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputCheck;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The release's tags: their names, the commit they mark, and making them exist locally exactly
 * once. Shared by {@code tagging/create} and {@code tagging}, so both apply the same rules: a tag
 * at the same commit is already done, a tag at another commit (here or on the remote) is a hard
 * error, and every tag this release creates is journaled before and after it exists.
 */
final class ReleaseTags {

    /** Journal value prefixes for a tag's fact under {@code "tag:<name>"}. */
    static final String CREATING = "creating at ";
    static final String CREATED = "created locally, not pushed, at ";
    static final String PUSHED = "pushed at ";

    static final List<InputSpec> INPUTS;

    static {
        List<InputSpec> inputs = new ArrayList<>(List.of(
                InputSpec.optional("tag-format", InputType.STRING, "v{version}",
                        "name of the release tag; empty for per-package tags only")
                        .withCheck(InputCheck.pattern("(.*\\{version}.*)?", "a tag name with {version} in it, or empty for per-package tags only")),
                InputSpec.optional("packages", InputType.LIST, List.of(),
                        "packages that get their own tag too (a path's last segment is the package name)"),
                InputSpec.optional("package-format", InputType.STRING, "{package}-v{version}", "name of a per-package tag"),
                InputSpec.optional("message", InputType.STRING, "Release {tag}",
                        "annotation of each tag; {tag}, {version} and {package} are replaced"),
                InputSpec.optional("commit", InputType.STRING, null,
                        "the commit to tag (sha or ref); HEAD when not given")));
        inputs.addAll(RemoteAccess.INPUTS);
        INPUTS = List.copyOf(inputs);
    }

    private final Git git;
    private final RevCommit commit;
    /** Tag name to its annotation, in the order the script names them. */
    private final Map<String, String> messages;

    private ReleaseTags(Git git, RevCommit commit, Map<String, String> messages) {
        this.git = git;
        this.commit = commit;
        this.messages = messages;
    }

    /** Reads the tag inputs of a step. */
    static ReleaseTags of(StepContext ctx, Git git) throws StepException, IOException {
        String version = ctx.version();
        String template = ctx.string("message");
        Map<String, String> messages = new LinkedHashMap<>();
        String main = ctx.string("tag-format");
        if (main != null && !main.isBlank()) {
            String name = main.replace("{version}", version);
            messages.put(name, template.replace("{tag}", name).replace("{version}", version).replace("{package}", ""));
        }
        for (String entry : ctx.list("packages")) {
            String pkg = Path.of(entry).getFileName().toString();
            String name = ctx.string("package-format").replace("{package}", pkg).replace("{version}", version);
            messages.put(name, template.replace("{tag}", name).replace("{version}", version).replace("{package}", pkg));
        }
        if (messages.isEmpty()) {
            throw new StepException("no tag to create: 'tag-format' is empty and 'packages' lists nothing",
                    "set 'tag-format' (e.g. v{version}) or list the packages");
        }
        for (String name : messages.keySet()) {
            if (!Repository.isValidRefName(Constants.R_TAGS + name)) {
                throw new StepException("'" + name + "' is not a valid git tag name",
                        "check the 'tag-format' and 'package-format' inputs and the version");
            }
        }
        String at = ctx.optionalString("commit").orElse(Constants.HEAD);
        ObjectId id = git.getRepository().resolve(at + "^{commit}");
        if (id == null) {
            throw new StepException("the commit to tag '" + at + "' is not in this repository",
                    "pass a commit sha or a ref (the 'commit' input), e.g. the head output of git-hygiene");
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return new ReleaseTags(git, walk.parseCommit(id), messages);
        }
    }

    List<String> names() {
        return List.copyOf(messages.keySet());
    }

    RevCommit commit() {
        return commit;
    }

    /** {@code abc1234 (subject)}: how messages name a commit. */
    static String describe(RevCommit c) {
        return c.abbreviate(7).name() + " (" + c.getShortMessage() + ")";
    }

    /** The commit a local tag points at, if the tag exists. */
    Optional<RevCommit> localTarget(String name) throws IOException {
        Ref ref = git.getRepository().exactRef(Constants.R_TAGS + name);
        if (ref == null) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return Optional.of(walk.parseCommit(ref.getObjectId()));
        }
    }

    /**
     * The commits the remote's tags of this release point at (tags the remote lacks are absent).
     * Fails if one points elsewhere than {@link #commit()}: that version was released from other code.
     */
    Map<String, ObjectId> checkRemote(RemoteAccess access, String remote) throws StepException {
        Map<String, ObjectId> all = remoteTags(git, access, remote);
        Map<String, ObjectId> found = new LinkedHashMap<>();
        for (String name : messages.keySet()) {
            ObjectId target = all.get(name);
            if (target == null) {
                continue;
            }
            if (!target.equals(commit)) {
                throw new StepException("tag " + name + " already exists on " + remote + " at " + target.abbreviate(7).name()
                        + ", not at " + describe(commit) + ", the commit being released",
                        "this version was released from other code: release another version, or delete the tag"
                                + " on " + remote + " if it is wrong (git push " + remote + " :refs/tags/" + name + ")");
            }
            found.put(name, target);
        }
        return found;
    }

    /** Every tag on the remote, by name, with the commit it marks (its peeled id as the remote advertises it). */
    static Map<String, ObjectId> remoteTags(Git git, RemoteAccess access, String remote) throws StepException {
        Repositories.requireRemote(git.getRepository(), remote);
        Map<String, ObjectId> tags = new LinkedHashMap<>();
        try {
            for (Ref ref : access.apply(git.lsRemote().setRemote(remote).setTags(true)).call()) {
                tags.put(ref.getName().substring(Constants.R_TAGS.length()),
                        ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId());
            }
        } catch (GitAPIException e) {
            throw Repositories.unreachable("listing the tags of", remote, e);
        }
        return tags;
    }

    /**
     * Makes every tag exist locally at {@link #commit()}, fetching the ones the remote already has
     * and creating the others, and returns the tags this release owns (created now, or journaled as
     * created by an earlier attempt that crashed); pre-existing tags are not its to remove.
     */
    List<String> ensureLocal(StepContext ctx, RemoteAccess access, String remote, Map<String, ObjectId> onRemote)
            throws StepException, IOException, GitAPIException {
        StepJournal journal = ctx.journal();
        List<String> owned = new ArrayList<>();
        for (Map.Entry<String, String> tag : messages.entrySet()) {
            String name = tag.getKey();
            String key = "tag:" + name;
            Optional<RevCommit> existing = localTarget(name);
            if (existing.isPresent() && !existing.get().equals(commit)) {
                throw new StepException("tag " + name + " already exists at " + describe(existing.get())
                        + ", not at " + describe(commit) + ", the commit being released",
                        "if it was left by an interrupted release and never pushed, delete it (git tag -d " + name
                                + "); otherwise release another version");
            }
            if (existing.isPresent()) {
                String fact = journal.get(key).orElse("");
                if (fact.startsWith(CREATING) || fact.startsWith(CREATED)) {
                    journal.put(key, CREATED + commit.name());
                    owned.add(name);
                }
                ctx.log().info("already tagged " + name + " at " + describe(commit));
            } else if (onRemote.containsKey(name)) {
                access.apply(git.fetch().setRemote(remote)
                        .setRefSpecs(new RefSpec(Constants.R_TAGS + name + ":" + Constants.R_TAGS + name))).call();
                ctx.log().info("fetched " + name + " from " + remote + ", where it already marks " + describe(commit));
            } else {
                journal.put(key, CREATING + commit.name());
                git.tag().setName(name).setObjectId(commit).setAnnotated(true).setMessage(tag.getValue()).call();
                journal.put(key, CREATED + commit.name());
                owned.add(name);
                ctx.log().info("created tag " + name + " at " + describe(commit));
            }
        }
        return owned;
    }

    /**
     * What both step types do first: ask the remote (a version released from other code stops the
     * release here, before anything is built or uploaded), create the missing tags locally (removed
     * again if the run fails), and set the outputs {@code tags} and {@code commit}.
     *
     * @return the tags this release owns, and the tags the remote had before
     */
    Prepared prepare(StepContext ctx, RemoteAccess access, String remote)
            throws StepException, IOException, GitAPIException {
        Map<String, ObjectId> onRemote = checkRemote(access, remote);
        List<String> owned = ensureLocal(ctx, access, remote, onRemote);
        if (!owned.isEmpty()) {
            ctx.atPipelineEnd(new TagCleanup(ctx, owned, commit()));
        }
        ctx.output("tags", names());
        ctx.output("commit", commit().name());
        return new Prepared(owned, onRemote);
    }

    /** What {@link #prepare} found and did. */
    record Prepared(List<String> owned, Map<String, ObjectId> onRemote) {
    }
}
