package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin author with nothing but the distribution: the sample plugin as the distribution ships it
 * ({@code samples/custom-plugin}), built by Maven with an empty local repository and the
 * distribution's {@code maven/} as the repository its README says to use. Everything else Maven
 * needs (JUnit, PF4J, Maven's own plugins) comes from this build's local repository, read as a
 * remote file repository, so the test needs no network; io.slipway artifacts there would be noticed,
 * since the local repository records which repository each file came from.
 */
@Tag("process")
class PluginAuthoringIT {

    @TempDir
    Path tmp;

    @Test
    void theSamplePluginBuildsAgainstTheSpiAndTestkitTheDistributionShips() throws Exception {
        Path sample = copy(Runner.HOME.resolve("samples/custom-plugin"), tmp.resolve("changelog-entry"));
        Path local = Files.createDirectories(tmp.resolve("repository"));
        Path settings = Files.writeString(tmp.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>machine</id><mirrorOf>*,!slipway</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(local, Path.of(System.getProperty("machine.repository")).toUri()));

        Path log = tmp.resolve("mvn.log");
        String home = System.getProperty("maven.home");
        Process p = new ProcessBuilder(home != null ? Path.of(home, "bin", "mvn").toString() : "mvn", "-B", "-s", settings.toString(),
                // The line samples/custom-plugin/README.md gives for a Slipway installed elsewhere than /opt/slipway.
                "-Dslipway.repository=" + Runner.HOME.resolve("maven").toUri(), "package")
                .directory(sample.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn package did not finish in 4 minutes:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), () -> tail(log));
        assertTrue(Files.isRegularFile(sample.resolve("target/plugin/changelog-entry-1.0.0.zip")), () -> tail(log));
        assertTrue(Files.readString(log).contains("Tests run: "), "the plugin's StepHarness tests did not run:\n" + tail(log));

        // Every io.slipway file Maven used came from the distribution's repository ("slipway").
        Set<String> artifacts = new TreeSet<>();
        try (Stream<Path> files = Files.walk(local.resolve("io/slipway"))) {
            for (Path record : files.filter(f -> f.getFileName().toString().equals("_remote.repositories")).toList()) {
                artifacts.add(local.resolve("io/slipway").relativize(record.getParent().getParent()).toString());
                for (String line : Files.readAllLines(record)) {
                    assertTrue(line.startsWith("#") || line.endsWith(">slipway="), record + ": " + line);
                }
            }
        }
        assertTrue(artifacts.containsAll(List.of("slipway-spi", "slipway-testkit", "slipway-engine", "slipway-parent", "slipway-runner")),
                artifacts::toString);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
