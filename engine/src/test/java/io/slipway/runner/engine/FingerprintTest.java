package io.slipway.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    @TempDir
    Path workspace;

    @Test
    void theDeclaredFilesAreTheMatchingOnesOutsideGitAndTheState() throws IOException {
        write("src/pkg/a.py", "a");
        write("src/pkg/data.txt", "d");
        write(".git/objects/x.py", "x");
        write(".slipway/dist/y.py", "y");

        assertEquals(List.of(workspace.resolve("src/pkg/a.py")), Fingerprint.files(workspace, List.of("**/*.py")));
    }

    /**
     * A build beside the step writes and deletes folders in the package (setuptools' egg-info, build/): a
     * folder gone between being listed and being read is not part of the fingerprint, not an engine failure.
     */
    @Test
    void foldersThatComeAndGoDuringTheWalkAreLeftOut() throws Exception {
        write("src/pkg/a.py", "a");
        AtomicBoolean stop = new AtomicBoolean();
        Thread build = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                Path leftovers = workspace.resolve("src/pkg.egg-info-" + (i % 4));
                try {
                    Files.createDirectories(leftovers.resolve("nested"));
                    Files.writeString(leftovers.resolve("nested/PKG-INFO.py"), "x");
                    deleteTree(leftovers);
                } catch (IOException raced) {
                    // the walk does not change anything; only this thread writes
                }
            }
        });
        build.start();
        try {
            for (int i = 0; i < 2000; i++) {
                assertEquals(workspace.resolve("src/pkg/a.py"), Fingerprint.files(workspace, List.of("src/pkg/*.py")).get(0));
            }
        } finally {
            stop.set(true);
            build.join();
        }
    }

    private void write(String path, String text) throws IOException {
        Path file = workspace.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
