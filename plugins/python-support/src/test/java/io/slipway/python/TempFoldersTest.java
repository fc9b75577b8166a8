package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a runner killed with -9 left in the temp folder goes when the next folder is made; nothing else does. */
class TempFoldersTest {

    @Test
    void makingAFolderRemovesTheOldFoldersOfRunnersThatAreGoneAndNothingElse() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long gone = ended.pid();
        long alive = ProcessHandle.current().pid();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path killed = folder(tmp, "slipway-build-" + gone + "-1", Duration.ofHours(2), "half-built.tar.gz");
        Path young = folder(tmp, "slipway-smoke-" + gone + "-2", Duration.ofMinutes(5), null);
        Path running = folder(tmp, "slipway-build-" + alive + "-3", Duration.ofHours(2), null);
        Path someoneElses = folder(tmp, "slipway-build-" + gone + "-notours", Duration.ofHours(2), null);
        Path made = null;
        try {
            made = TempFolders.create("build", Map.of());

            assertTrue(Files.isDirectory(made) && made.getFileName().toString().startsWith("slipway-build-" + alive + "-"), made::toString);
            try (Stream<Path> inside = Files.list(made)) {
                assertEquals(List.of(), inside.toList());
            }
            assertTrue(Files.notExists(killed), "a killed runner's folder, untouched for two hours, is removed");
            assertTrue(Files.isDirectory(young), "a folder changed minutes ago stays: its runner may live in another pid namespace");
            assertTrue(Files.isDirectory(running), "a live runner's folder stays");
            assertTrue(Files.isDirectory(someoneElses), "a folder not named as ours stays");
        } finally {
            for (Path p : new Path[] {killed, young, running, someoneElses, made}) {
                if (p != null) {
                    TempFolders.deleteTree(p);
                }
            }
        }
    }

    @Test
    void theFolderIsMadeInTheUsersTmpdirWhenItNamesAFolderAndItsAbandonedFoldersAreSweptThere(@TempDir Path tmpdir) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path killed = folder(tmpdir, "slipway-smoke-" + ended.pid() + "-1", Duration.ofHours(2), "pip-unpack");

        Path made = TempFolders.create("smoke", Map.of("TMPDIR", tmpdir.toString()));
        Path child = TempFolders.childTemp(made);

        assertEquals(tmpdir, made.getParent());
        assertEquals(made.resolve("tmp"), child);
        assertTrue(Files.isDirectory(child));
        assertTrue(Files.notExists(killed), "a killed runner's folder in the user's TMPDIR is removed");
        Path java = Path.of(System.getProperty("java.io.tmpdir"));
        for (String notAFolder : new String[] {"relative/tmp", tmpdir.resolve("missing").toString(), ""}) {
            Path fallback = TempFolders.create("smoke", Map.of("TMPDIR", notAFolder));
            try {
                assertEquals(java, fallback.getParent(), "TMPDIR=" + notAFolder);
            } finally {
                TempFolders.deleteTree(fallback);
            }
        }
    }

    private static Path folder(Path tmp, String name, Duration age, String file) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve(name));
        if (file != null) {
            Files.writeString(folder.resolve(file), "partial");
        }
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(age)));
        return folder;
    }
}
