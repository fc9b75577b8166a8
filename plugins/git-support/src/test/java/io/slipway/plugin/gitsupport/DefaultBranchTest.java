package io.slipway.plugin.gitsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DefaultBranchTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    @Test
    void withoutOriginHeadItIsMain() {
        assertEquals("main", DefaultBranch.of(fx.work));
    }

    @Test
    void withoutOriginHeadARepositoryWithMasterAndNoMainHasMaster() throws Exception {
        Path dir = fx.work.resolveSibling("legacy");
        try (Git git = Git.init().setInitialBranch("master").setDirectory(dir.toFile()).call()) {
            git.commit().setAllowEmpty(true).setAuthor("A", "a@example.org").setCommitter("A", "a@example.org")
                    .setMessage("initial").call();
        }
        assertEquals("master", DefaultBranch.of(dir));
    }

    @Test
    void itIsTheBranchOriginHeadNames() throws Exception {
        RefUpdate update = fx.git.getRepository().updateRef("refs/remotes/origin/HEAD");
        update.link("refs/remotes/origin/trunk");
        assertEquals("trunk", DefaultBranch.of(fx.work.resolve("sub/folder")));
    }
}
