package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail, fix, resume in a monorepo: the release rehearses and stops at the approval; a fix to one
 * package is committed; {@code --from build/python-build} rebuilds that package only, and the
 * rehearsal's fresh index (a new generation) must receive every file, not only the rebuilt ones,
 * or the clean-venv install of the meta package cannot find its dependencies. Counted at the far
 * end: what each index holds. The monorepo sample with the reference pipeline, rehearsed on the
 * embedded index.
 */
@Tag("process")
class FixAfterRehearsalIT {

    private static final String FIXED = "packages/acme-scheduler/src/acme_scheduler/__init__.py";

    @TempDir
    Path dir;

    @Test
    void aFixAfterTheRehearsalIsRehearsedWithEveryFileAndThenPublished() throws Exception {
        SampleRepo repo = SampleRepo.referencePipeline(dir, "local");
        Runner.Result stopped = repo.release(Map.of());
        assertEquals(3, stopped.exit(), stopped.summary());
        Map<String, String> before = repo.builtSha256();

        Files.writeString(repo.work.resolve(FIXED), "\ndef fixed():\n    return True\n", java.nio.file.StandardOpenOption.APPEND);
        try (Git git = Git.open(repo.work.toFile())) {
            git.commit().setAll(true).setMessage("Fix the scheduler").call();
        }
        Runner.Result resumed = repo.release(Runner.CREDENTIALS, "--from", "build/python-build");

        assertEquals(0, resumed.exit(), resumed.summary());
        Map<String, String> after = repo.builtSha256();
        assertEquals(6, after.size(), after.toString());
        assertEquals(before.keySet(), after.keySet());
        assertEquals(Set.of("acme_scheduler-1.0.0-py3-none-any.whl", "acme-scheduler-1.0.0.tar.gz"), changed(before, after),
                "only the fixed package was rebuilt");
        assertEquals(Set.of(before, after), Set.copyOf(repo.rehearsalGenerations()),
                "each rehearsal index holds every file of its build, once");
        assertEquals(2, repo.rehearsalGenerations().size());
        assertEquals(after, SampleRepo.indexFiles(repo.productionIndex()), "production holds the fixed build");
    }

    private static Set<String> changed(Map<String, String> before, Map<String, String> after) {
        Map<String, String> diff = new TreeMap<>(after);
        diff.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        assertNotEquals(Map.of(), diff);
        return diff.keySet();
    }
}
