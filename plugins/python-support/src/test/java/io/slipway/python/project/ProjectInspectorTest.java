package io.slipway.python.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small projects of our own, each shaped like a class of real project the reference pipeline met
 * (bench/CORPUS.md): what the inspection reads from them and where it says it read it.
 */
@Tag("process")
class ProjectInspectorTest {

    /** Debian's interpreter: it has setuptools, for the build backend's answer. */
    static final PythonMetadata PYTHON = new PythonMetadata("/usr/bin/python3", Map.of("PATH", "/usr/bin:/bin"));

    @TempDir
    Path root;

    private void write(String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private Inspection inspect() {
        return new ProjectInspector(root, PYTHON).inspect();
    }

    @Test
    void aTrailingCommentOnTheNameLineIsNotPartOfTheName() throws IOException {
        write("pyproject.toml", """
                [project]
                name = "sampleproject"  # REQUIRED, is the only field that cannot be marked as dynamic.
                version = "4.0.0"  # REQUIRED, although can be dynamic
                [project.scripts]  # Optional
                sample = "sample:main"
                """);
        write("src/sample/__init__.py", "def main(): pass\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals("sampleproject", p.name());
        assertEquals("pyproject.toml [project] name", p.nameSource());
        assertEquals(VersionSource.Style.TOML, p.version().style());
        assertEquals(List.of("sample"), p.scripts());
        assertEquals(List.of("sample"), p.imports(), "the only package under src/");
    }

    @Test
    void aProjectDescribedInSetupCfgIsReadFromSetupCfg() throws IOException {
        write("pyproject.toml", """
                [build-system]
                requires = ["setuptools>=61", "wheel"]
                build-backend = "setuptools.build_meta"

                [tool.black]
                line-length = 100
                """);
        write("setup.cfg", """
                [metadata]
                name = cfg-project
                version = attr: cfg_project.__version__
                description = a project whose metadata lives in setup.cfg

                [options]
                package_dir =
                    =src
                packages = find:

                [options.entry_points]
                console_scripts =
                    cfg-tool = cfg_project.cli:main
                """);
        write("src/cfg_project/__init__.py", "__version__ = \"2.1.0\"\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals("cfg-project", p.name());
        assertEquals("setup.cfg [metadata] name", p.nameSource());
        assertEquals(root.resolve("src/cfg_project/__init__.py"), p.version().file());
        assertEquals("2.1.0", p.version().read(Files.readString(p.version().file())).orElseThrow());
        assertEquals(List.of("cfg-tool"), p.scripts());
        assertEquals(List.of("cfg_project"), p.imports());
        assertEquals(List.of("cfg_project"), p.versionModules());
    }

    @Test
    void setupPyLiteralsAreReadWithoutRunningIt() throws IOException {
        write("setup.py", """
                import sys
                if "install" in sys.argv:
                    raise SystemExit("this file must not run during inspection")
                from setuptools import setup
                setup(
                    name="literal-pkg",
                    version="0.9.1",
                    py_modules=["literal_pkg"],
                    entry_points={"console_scripts": ["lit = literal_pkg:main"]},
                )
                """);
        write("literal_pkg.py", "def main(): pass\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals("literal-pkg", p.name());
        assertEquals("setup.py name", p.nameSource());
        assertEquals(VersionSource.Style.ASSIGNMENT, p.version().style());
        assertEquals(root.resolve("setup.py"), p.version().file());
        assertEquals(List.of("literal_pkg"), p.imports());
        assertEquals(List.of("lit"), p.scripts());
    }

    @Test
    void aSetupPyThatComputesItsVersionIsAskedOfTheBackendAndTheModuleHoldingItIsFound() throws IOException {
        write("setup.py", """
                import re
                from setuptools import setup
                with open("computed/__init__.py") as f:
                    version = re.search(r'__version__ = "(.*)"', f.read()).group(1)
                setup(name="computed", version=version, packages=["computed"])
                """);
        write("computed/__init__.py", "__version__ = \"3.4.5\"\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals(root.resolve("computed/__init__.py"), p.version().file());
        assertEquals("__version__", p.version().name());
        assertTrue(p.version().reason().contains("3.4.5"), p.version().reason());
        try (var files = Files.list(root)) {
            assertEquals(List.of("computed", "setup.py"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "asking the backend left no egg-info or build folder behind");
        }
        assertFalse(Files.exists(root.resolve("computed/__pycache__")), "and no bytecode");
    }

    @Test
    void aComputedNameIsAnsweredByTheBuildBackend() throws IOException {
        write("setup.py", """
                from setuptools import setup
                NAME = "-".join(["named", "by", "code"])
                setup(name=NAME, version="1.0.0", py_modules=["x"])
                """);
        write("x.py", "");
        PythonPackage p = inspect().packages().get(0);
        assertEquals("named-by-code", p.name());
        assertTrue(p.nameSource().startsWith("the build backend"), p.nameSource());
        assertEquals("1.0.0", p.version().read(Files.readString(root.resolve("setup.py"))).orElseThrow(),
                "a keyword argument in the middle of a line");
    }

    @Test
    void aScmRequirementInACommentDoesNotMakeTheVersionComeFromTheTag() throws IOException {
        write("pyproject.toml", """
                # we used setuptools_scm once; not any more
                [build-system]
                requires = ["setuptools"]  # not setuptools-scm
                build-backend = "setuptools.build_meta"
                [project]
                name = "plain"
                version = "1.0.0"
                """);
        assertFalse(inspect().versionFromTag());
    }

    @Test
    void scmBackendsAreDetectedFromBuildRequirementsAndToolTables() throws IOException {
        write("pyproject.toml", """
                [build-system]
                requires = ["hatchling", "hatch-vcs>=0.3"]
                build-backend = "hatchling.build"
                [project]
                name = "tagged"
                dynamic = ["version"]
                [tool.hatch.version]
                source = "vcs"
                """);
        Inspection i = inspect();
        assertTrue(i.versionFromTag());
        assertEquals("the release tag ([tool.hatch.version] source = \"vcs\")", i.packages().get(0).version().describe(root));
    }

    @Test
    void poetryAndFlitProjectsAreRead() throws IOException {
        write("packages/poetic/pyproject.toml", """
                [tool.poetry]
                name = "poetic"
                version = "0.3.0"
                packages = [{ include = "poetic_lib", from = "src" }]
                [tool.poetry.scripts]
                poem = "poetic_lib:main"
                [build-system]
                requires = ["poetry-core"]
                build-backend = "poetry.core.masonry.api"
                """);
        write("packages/flitted/pyproject.toml", """
                [build-system]
                requires = ["flit_core >=3.2,<4"]
                build-backend = "flit_core.buildapi"
                [project]
                name = "flitted"
                dynamic = ["version", "description"]
                """);
        write("packages/flitted/flitted.py", "\"\"\"Flitted.\"\"\"\n__version__ = \"0.3.0\"\n");
        Inspection i = inspect();
        assertTrue(i.monorepo());
        assertEquals(List.of("packages/flitted", "packages/poetic"), i.dirs());
        PythonPackage flitted = i.packages().get(0);
        assertEquals("flit dynamic version", flitted.version().reason());
        assertEquals(List.of("flitted"), flitted.versionModules());
        PythonPackage poetic = i.packages().get(1);
        assertEquals("tool.poetry.version", poetic.version().name());
        assertEquals(List.of("poetic_lib"), poetic.imports());
        assertEquals(List.of("poem"), poetic.scripts());
    }

    @Test
    void hatchPatternAndChangelogAndTestsAreReported() throws IOException {
        write("pyproject.toml", """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"
                [project]
                name = "patterned"
                dynamic = ["version"]
                [tool.hatch.version]
                path = "src/patterned/about.py"
                pattern = "^RELEASE = ['\\"](?P<version>[^'\\"]+)['\\"]"
                """);
        write("src/patterned/__init__.py", "");
        write("src/patterned/about.py", "RELEASE = '5.0.0'\n");
        write("tests/test_x.py", "");
        write("CHANGES.rst", "Changes\n=======\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals(VersionSource.Style.PATTERN, p.version().style());
        assertEquals("5.0.0", p.version().read("RELEASE = '5.0.0'\n").orElseThrow());
        assertEquals("tests", p.tests());
        assertEquals(new Changelog("CHANGES.rst", "reStructuredText"), p.changelog());
    }

    @Test
    void towncrierIsReportedAsTheChangelogStyle() throws IOException {
        write("pyproject.toml", """
                [project]
                name = "newsy"
                version = "1.0"
                [tool.towncrier]
                filename = "CHANGES.md"
                """);
        write("CHANGES.md", "# Changes\n");
        assertEquals(new Changelog("CHANGES.md", "towncrier"), inspect().packages().get(0).changelog());
    }

    @Test
    void aFolderWithoutPackagesIsRefusedWithOneSentence() throws IOException {
        write("README.md", "nothing to release\n");
        InspectionException e = assertThrows(InspectionException.class, this::inspect);
        assertTrue(e.reason().startsWith("no Python package found in " + root), e.getMessage());
        assertTrue(e.hint().contains("--set packages="), e.hint());
    }

    @Test
    void twoPackagesWithTheSameNameAreRefused() throws IOException {
        write("packages/a/pyproject.toml", "[project]\nname = \"Same_Name\"\nversion = \"1\"\n");
        write("packages/b/pyproject.toml", "[project]\nname = \"same-name\"\nversion = \"1\"\n");
        InspectionException e = assertThrows(InspectionException.class, this::inspect);
        assertEquals("two packages are named same-name: packages/a and packages/b", e.reason());
    }

    @Test
    void aVersionThatCannotBeLocatedIsRefusedNamingTheFolder() throws IOException {
        write("pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"lost\"\ndynamic = [\"version\"]\n");
        InspectionException e = assertThrows(InspectionException.class, this::inspect);
        assertEquals("cannot find where the version of the repository's top is written", e.reason());
    }

    @Test
    void aProjectFileThatIsNotUtf8IsOneSentenceNamingTheFileAndTheEncoding() throws IOException {
        java.nio.file.Files.write(root.resolve("pyproject.toml"), "[project]\nname = \"cafe\"\nversion = \"1.0\"\ndescription = \"Caf\u00e9\"\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        InspectionException e = assertThrows(InspectionException.class, this::inspect);
        assertEquals(root.resolve("pyproject.toml") + " is not UTF-8 text, and Slipway reads project files as UTF-8", e.reason());
        assertEquals("save it as UTF-8", e.hint());

        write("pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n");
        java.nio.file.Files.write(root.resolve("setup.cfg"), "[metadata]\nname = cafe\nversion = 1.0\nauthor = Ren\u00e9\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        e = assertThrows(InspectionException.class, this::inspect);
        assertEquals(root.resolve("setup.cfg") + " is not UTF-8 text, and Slipway reads project files as UTF-8", e.reason());
    }

    @Test
    void invalidTomlIsOneSentenceNamingTheFile() throws IOException {
        write("pyproject.toml", "[project\nname = \"broken\"\n");
        InspectionException e = assertThrows(InspectionException.class, this::inspect);
        assertTrue(e.reason().startsWith(root.resolve("pyproject.toml") + " is not valid TOML"), e.getMessage());
    }

    @Test
    void givenFoldersAreInspectedInTheGivenOrder() throws IOException {
        write("one/pyproject.toml", "[project]\nname = \"one\"\nversion = \"1\"\n");
        write("two/setup.cfg", "[metadata]\nname = two\nversion = 1\n");
        assertEquals(List.of("two", "one"), new ProjectInspector(root, PYTHON).inspect(List.of("two", "one")).names());
        assertEquals(List.of("one", "two"), inspect().names(), "found one level down when the top holds none");
        assertNull(inspect().packages().get(0).changelog());
    }

    @Test
    void anAttributeComputedFromTheTagIsNotMistakenForALiteral() throws IOException {
        // setuptools-scm releases itself this way: `version: str` is an annotation, the value comes from get_version()
        write("pyproject.toml", """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"
                [project]
                name = "self-versioned"
                dynamic = ["version"]
                [tool.setuptools.dynamic]
                version = { attr = "_version_helper.version" }
                [tool.setuptools_scm]
                """);
        write("_version_helper.py", "version: str\n\ndef __getattr__(name):\n    return scm_version()\n");
        PythonPackage p = inspect().packages().get(0);
        assertTrue(p.version().fromTag(), p.version().toString());
        assertNull(p.current());
    }

    @Test
    void aPythonAssignmentMustBeAQuotedLiteral() {
        Path module = root.resolve("m.py");
        VersionSource source = new VersionSource(VersionSource.Style.ASSIGNMENT, module, "__version__", "test");
        assertEquals(java.util.Optional.empty(), source.read("__version__ = VERSION\n"));
        assertEquals("1.0", source.read("__version__: str = '1.0'\n").orElseThrow());
        VersionSource cfg = new VersionSource(VersionSource.Style.ASSIGNMENT, root.resolve("setup.cfg"), "version", "test");
        assertEquals("1.0", cfg.read("[metadata]\nversion: 1.0\n").orElseThrow(), "INI takes unquoted values");
    }

    @Test
    void aSetupPyThatComputesItsVersionWithSetuptoolsScmTakesItFromTheTag() throws IOException {
        // setuptools-scm 7 releases itself this way: no use_scm_version keyword, a function that imports it
        write("setup.py", """
                import setuptools

                def scm_version():
                    from setuptools_scm import get_version
                    return get_version()

                if __name__ == "__main__":
                    setuptools.setup(name="self-scm", version=scm_version())
                """);
        PythonPackage p = inspect().packages().get(0);
        assertEquals("setup.py computes it with setuptools_scm", p.version().reason());
        assertTrue(inspect().versionFromTag());
    }

    @Test
    void theModuleHoldingAComputedVersionMayBeAnotherThanTheOneNamedLikeTheProject() throws IOException {
        // attrs ships attr and attrs; setup.py reads the version from attr/__init__.py
        write("setup.py", """
                import re
                from setuptools import find_packages, setup
                VERSION = re.search(r'__version__ = "(.*)"', open("src/first/__init__.py").read()).group(1)
                setup(name="twopack", version=VERSION, packages=find_packages(where="src"), package_dir={"": "src"})
                """);
        write("src/first/__init__.py", "__version__ = \"4.5.6\"\n");
        write("src/twopack/__init__.py", "from first import *\n");
        PythonPackage p = inspect().packages().get(0);
        assertEquals(root.resolve("src/first/__init__.py"), p.version().file());
        assertEquals("4.5.6", p.current());
    }

    @Test
    void aVersionAssignmentInsideATemplateStringIsNotTheModulesVersion() {
        java.util.regex.Pattern dunder = java.util.regex.Pattern.compile("(?m)^__version__\\s*=");
        assertFalse(ProjectInspector.assignsAtTopLevel("TEMPLATE = \"\"\"\n__version__ = version = {version!r}\n\"\"\"\n", dunder));
        assertTrue(ProjectInspector.assignsAtTopLevel("\"\"\"Docs.\"\"\"\n__version__ = \"1.0\"\n", dunder));
    }
}
