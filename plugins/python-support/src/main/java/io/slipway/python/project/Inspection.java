package io.slipway.python.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a repository holds: its packages in folder order, and whether it is a monorepo (packages in
 * sub-folders rather than one at the top).
 */
public record Inspection(Path root, List<PythonPackage> packages, boolean monorepo) {

    public Inspection {
        packages = List.copyOf(packages);
    }

    public List<String> dirs() {
        return packages.stream().map(PythonPackage::dir).toList();
    }

    public List<String> names() {
        return packages.stream().map(PythonPackage::name).toList();
    }

    public List<String> imports() {
        return packages.stream().flatMap(p -> p.imports().stream()).distinct().toList();
    }

    public List<String> versionModules() {
        return packages.stream().flatMap(p -> p.versionModules().stream()).distinct().toList();
    }

    public List<String> scripts() {
        return packages.stream().flatMap(p -> p.scripts().stream()).distinct().toList();
    }

    /** True when any package takes its version from the release tag: the tag must exist before the build. */
    public boolean versionFromTag() {
        return packages.stream().anyMatch(p -> p.version().fromTag());
    }

    /** Test folders of the packages, and of the repository's top, workspace-relative. */
    public List<String> tests() {
        List<String> out = new ArrayList<>();
        packages.forEach(p -> {
            if (p.tests() != null && !out.contains(p.tests())) {
                out.add(p.tests());
            }
        });
        return out;
    }

    /** The packages' {@code src/} folders that exist, absolute: what a test run imports the code under test from. */
    public List<String> sourceRoots() {
        return packages.stream().map(p -> root.resolve(p.dir()).resolve("src").normalize())
                .filter(java.nio.file.Files::isDirectory).map(Path::toString).toList();
    }

    /** One line per package for the plan: what was found and where. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (PythonPackage p : packages) {
            lines.add(p.dir() + ": " + p.name() + " (name from " + p.nameSource() + "), version "
                    + (p.current() == null ? "" : p.current() + " ") + "in " + p.version().describe(root)
                    + (p.imports().isEmpty() ? "" : ", imports " + String.join(", ", p.imports()))
                    + (p.scripts().isEmpty() ? "" : ", scripts " + String.join(", ", p.scripts()))
                    + (p.tests() == null ? "" : ", tests in " + p.tests())
                    + (p.changelog() == null ? "" : ", changelog " + p.changelog().file() + " (" + p.changelog().style() + ")"));
        }
        return lines;
    }
}
