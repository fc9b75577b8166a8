package io.slipway.plugin.pythonbuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.slipway.python.ProjectName;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What python-build needs from a package's {@code pyproject.toml}: the project's name. */
final class PyProject {

    private static final TomlMapper TOML = new TomlMapper();

    private PyProject() {
    }

    /**
     * The name under {@code [project]} (PEP 621), or under {@code [tool.poetry]} for poetry-core
     * projects; empty when the file is missing or declares neither (a {@code setup.py}-only project).
     */
    static Optional<ProjectName> name(Path packageDir) throws StepException {
        Path file = packageDir.resolve("pyproject.toml");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = TOML.readTree(file.toFile());
        } catch (IOException e) {
            throw new StepException("cannot read " + file + ": " + e.getMessage(), "fix the TOML syntax of the file");
        }
        JsonNode name = root.path("project").path("name");
        if (name.isMissingNode()) {
            name = root.path("tool").path("poetry").path("name");
        }
        if (!name.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProjectName.of(name.asText()));
        } catch (IllegalArgumentException e) {
            throw new StepException(file + ": " + e.getMessage(), "use a valid PEP 508 project name");
        }
    }
}
