package io.slipway.plugin.gitsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void itIsTheBranchOriginHeadNames() throws Exception {
        RefUpdate update = fx.git.getRepository().updateRef("refs/remotes/origin/HEAD");
        update.link("refs/remotes/origin/trunk");
        assertEquals("trunk", DefaultBranch.of(fx.work.resolve("sub/folder")));
    }
}
