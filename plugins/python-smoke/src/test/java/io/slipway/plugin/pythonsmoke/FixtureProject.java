package io.slipway.plugin.pythonsmoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A minimal setuptools project: a package with {@code __version__} and a console script whose
 * {@code bad} argument ends cleanly with exit 2 and whose {@code crash} argument raises.
 */
final class FixtureProject {

    private FixtureProject() {
    }

    static Path write(Path parent, String name, String version) throws IOException {
        String module = name.replace('-', '_');
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "%s"
                version = "%s"

                [project.scripts]
                %s = "%s.cli:main"
                """.formatted(name, version, name, module));
        Path pkg = Files.createDirectories(dir.resolve("src").resolve(module));
        Files.writeString(pkg.resolve("__init__.py"), "__version__ = \"" + version + "\"\n");
        Files.writeString(pkg.resolve("cli.py"), """
                import sys
                def main():
                    if "crash" in sys.argv:
                        raise RuntimeError("boom")
                    if "bad" in sys.argv:
                        print("error: bad input", file=sys.stderr)
                        return 2
                    print("usage: %s")
                    return 0
                """.formatted(name));
        return dir;
    }

    /** Builds the project with {@code python -m build --no-isolation} and uploads both files with twine. */
    static void publish(Path project, String uploadUrl) throws IOException, InterruptedException {
        Path dist = project.resolve("dist");
        run(project, "/usr/bin/python3", "-m", "build", "--no-isolation", "--outdir", dist.toString(), project.toString());
        List<String> upload = new ArrayList<>(List.of("/usr/bin/python3", "-m", "twine", "upload", "--non-interactive",
                "--repository-url", uploadUrl, "-u", "tester", "-p", "anything"));
        try (Stream<Path> files = Files.list(dist)) {
            files.map(Path::toString).forEach(upload::add);
        }
        run(project, upload.toArray(String[]::new));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("PIP_") || k.startsWith("TWINE_"));
        pb.environment().put("PIP_CONFIG_FILE", "/dev/null");
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Replaces the package's {@code __init__.py}. */
    static void init(Path project, String text) throws IOException {
        String module = project.getFileName().toString().replace('-', '_');
        Files.writeString(project.resolve("src").resolve(module).resolve("__init__.py"), text);
    }
}
