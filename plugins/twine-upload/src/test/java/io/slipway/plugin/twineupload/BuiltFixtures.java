package io.slipway.plugin.twineupload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real sdists and wheels of minimal setuptools projects, built with {@code /usr/bin/python3 -m build
 * --no-isolation} (what python-build runs), for upload tests.
 */
final class BuiltFixtures {

    private BuiltFixtures() {
    }

    /** Builds the project into {@code out} and returns the sdist and the wheel. */
    static List<Path> build(Path parent, String name, String version, String marker, Path out)
            throws IOException, InterruptedException {
        String module = name.replace('-', '_');
        Path dir = Files.createDirectories(parent.resolve(name + "-" + marker));
        Files.writeString(dir.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "%s"
                version = "%s"
                description = "a fixture"
                """.formatted(name, version));
        Path pkg = Files.createDirectories(dir.resolve("src").resolve(module));
        // The marker makes two builds of the same name and version differ in content.
        Files.writeString(pkg.resolve("__init__.py"), "__version__ = \"" + version + "\"\nMARKER = \"" + marker + "\"\n");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-m", "build", "--no-isolation", "--outdir",
                out.toString(), dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PIP_"));
        env.put("PIP_CONFIG_FILE", "/dev/null");
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException("building the fixture " + name + " failed");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.list(out)) {
            all.filter(f -> f.getFileName().toString().startsWith(name) || f.getFileName().toString().startsWith(module))
                    .sorted().forEach(files::add);
        }
        return files;
    }
}
