package io.slipway.plugin.pythonbuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal setuptools project: pyproject.toml, README, a package with __version__ and a console script. */
final class FixtureProject {

    private FixtureProject() {
    }

    static Path write(Path parent, String name, String version, String... buildRequires) throws IOException {
        String module = name.replace('-', '_');
        Path dir = Files.createDirectories(parent.resolve(name));
        StringBuilder requires = new StringBuilder("\"setuptools>=61\"");
        for (String r : buildRequires) {
            requires.append(", \"").append(r).append('"');
        }
        Files.writeString(dir.resolve("pyproject.toml"), """
                [build-system]
                requires = [%s]
                build-backend = "setuptools.build_meta"

                [project]
                name = "%s"
                version = "%s"
                description = "a fixture"
                readme = "README.md"

                [project.scripts]
                %s = "%s.cli:main"
                """.formatted(requires, name, version, name, module));
        Files.writeString(dir.resolve("README.md"), "# " + name + "\n");
        Path pkg = Files.createDirectories(dir.resolve("src").resolve(module));
        Files.writeString(pkg.resolve("__init__.py"), "__version__ = \"" + version + "\"\n");
        Files.writeString(pkg.resolve("cli.py"), "def main():\n    print('usage: " + name + "')\n    return 0\n");
        return dir;
    }
}
