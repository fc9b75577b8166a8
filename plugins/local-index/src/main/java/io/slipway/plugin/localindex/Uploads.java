package io.slipway.plugin.localindex;

import io.slipway.python.DistributionFile;
import io.slipway.python.Pep440Version;
import io.slipway.python.ProjectName;
import java.io.IOException;

/**
 * Takes twine's uploads the way PyPI does. An upload is
 * <ul>
 *   <li>refused (400, the reason in the body) when its file is not a wheel or sdist of the form's
 *   {@code name} and {@code version}, has a local version (PyPI refuses those), or does not match
 *   the {@code sha256_digest} the form gives;</li>
 *   <li>a no-op (200) when a file of that name is stored with the same content, refused (400
 *   "File already exists") with other content;</li>
 *   <li>otherwise stored as {@code <normalized project>/<file name>} (201).</li>
 * </ul>
 * Every valid PEP 440 version is taken, epochs ({@code 1!2.0}) included, and wheels with any
 * platform tag.
 */
final class Uploads {

    /** The answer to an upload that was taken. */
    record Taken(int status, String message) {
    }

    private final Store store;

    Uploads(Store store) {
        this.store = store;
    }

    Taken take(UploadForm form) throws Refused, IOException {
        String action = form.field(":action").orElse("file_upload");
        if (!action.equals("file_upload")) {
            throw new Refused("This index takes only file uploads (:action file_upload), not " + action + ".");
        }
        String fileName = form.fileName()
                .orElseThrow(() -> new Refused("The upload has no file (a form part named content)."));
        DistributionFile file;
        ProjectName project;
        Pep440Version version;
        try {
            file = DistributionFile.parse(fileName);
            project = ProjectName.of(required(form, "name"));
            version = Pep440Version.parse(required(form, "version"));
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        if (!file.fileName().equals(fileName)) {
            throw new Refused("The file name " + fileName + " names a directory; give the file's name only.");
        }
        if (!file.project().sameProjectAs(project) || !file.version().equals(version)) {
            throw new Refused("The file name " + file.fileName() + " does not match the upload's project " + project
                    + " and version " + version + ".");
        }
        if (version.isLocal()) {
            throw new Refused("Local versions cannot be uploaded (" + version + "), as on PyPI.");
        }
        if (form.field("sha256_digest").filter(d -> !d.equalsIgnoreCase(form.sha256())).isPresent()) {
            throw new Refused("The digest supplied does not match a digest calculated from the uploaded file.");
        }
        return switch (store.put(project, file, form.file(), form.sha256())) {
            case STORED -> new Taken(201, "Stored " + file.fileName() + ".");
            case SAME_AGAIN -> new Taken(200, file.fileName() + " is already here with the same content; nothing changed.");
        };
    }

    private static String required(UploadForm form, String name) throws Refused {
        return form.field(name)
                .orElseThrow(() -> new Refused("The upload has no " + name + " (a form part named " + name + ")."));
    }
}
