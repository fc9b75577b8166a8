package io.slipway.plugin.twineupload;

import io.slipway.python.IndexClient;
import io.slipway.python.ProjectName;
import io.slipway.spi.StepException;
import io.slipway.spi.UrlCredentials;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where files go and where to look for them: the {@code repository} input (a {@code .pypirc}
 * section name or an upload URL) and the simple index that shows what is already there.
 *
 * @param repository  the input as given, without credentials written into it, for messages
 * @param twineArgs   {@code --repository NAME} or {@code --repository-url URL}, never with credentials
 * @param index       the simple index to check before each upload
 * @param sameHost    whether the index is on the upload URL's host, so upload credentials may be sent to it
 *                    (never to pypi.org's index: PyPI tokens are for upload.pypi.org)
 * @param destination which index an upload went to, as the journal records it: the upload URL (the
 *                    repository name when its URL is unknown) and the index's identity when one is given
 */
record UploadTarget(String repository, List<String> twineArgs, URI index, boolean sameHost, String destination) {

    /**
     * @param uploadUrl where twine uploads for the repository, if known (the URL itself, or from ~/.pypirc)
     * @param identity  what the index holds when its URL does not say it (local-index's identity: a new
     *                  generation at the same address is another index)
     */
    static UploadTarget of(String repository, Optional<String> indexUrl, Optional<URI> uploadUrl, Optional<String> identity)
            throws StepException {
        String shown = UrlCredentials.strip(repository);
        boolean isUrl = shown.startsWith("http://") || shown.startsWith("https://");
        List<String> twineArgs = isUrl ? List.of("--repository-url", shown) : List.of("--repository", shown);
        // PyPI and TestPyPI upload and serve at different addresses; the local index and many
        // private indexes (devpi, Artipie) serve the simple index at the upload address.
        String index = indexUrl.orElseGet(() -> switch (repository) {
            case "pypi" -> IndexClient.PYPI.toString();
            case "testpypi" -> IndexClient.TESTPYPI.toString();
            default -> uploadUrl.map(URI::toString).orElse(null);
        });
        if (index == null) {
            throw new StepException("no index-url to check what repository \"" + repository + "\" already holds",
                    "set the index-url input to the repository's simple index, e.g. https://example.org/simple/");
        }
        URI uri = URI.create(index.endsWith("/") ? index : index + "/");
        boolean sameHost = uploadUrl.map(URI::getHost).filter(h -> h.equalsIgnoreCase(uri.getHost())).isPresent();
        String destination = uploadUrl.map(URI::toString).orElse(shown) + identity.map(i -> " (" + i + ")").orElse("");
        return new UploadTarget(shown, twineArgs, uri, sameHost, destination);
    }

    /** The page a person opens to see the release. */
    String projectPage(ProjectName project, String version) {
        return switch (repository) {
            case "pypi" -> "https://pypi.org/project/" + project.normalized() + "/" + version + "/";
            case "testpypi" -> "https://test.pypi.org/project/" + project.normalized() + "/" + version + "/";
            default -> index.resolve(project.normalized() + "/").toString();
        };
    }
}
