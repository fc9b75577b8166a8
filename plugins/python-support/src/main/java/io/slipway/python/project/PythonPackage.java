package io.slipway.python.project;

import java.util.List;

/**
 * One releasable Python package in a repository, as {@link ProjectInspector} found it.
 *
 * @param dir            its folder, workspace-relative ({@code .} for the repository's top)
 * @param name           the distribution name as written
 * @param nameSource     where the name was read ({@code pyproject.toml [project] name}, {@code the build backend})
 * @param imports        top-level import names of the code it ships
 * @param versionModules those of {@code imports} that define {@code __version__}
 * @param scripts        console scripts it installs
 * @param version        where its version is written
 * @param current        the version written there now; null when it comes from the release tag
 * @param tests          its tests folder, workspace-relative, or null
 * @param changelog      its changelog, or null
 */
public record PythonPackage(String dir, String name, String nameSource, List<String> imports, List<String> versionModules,
                            List<String> scripts, VersionSource version, String current, String tests, Changelog changelog) {

    public PythonPackage {
        imports = List.copyOf(imports);
        versionModules = List.copyOf(versionModules);
        scripts = List.copyOf(scripts);
    }
}
