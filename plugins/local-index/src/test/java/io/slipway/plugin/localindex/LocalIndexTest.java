package io.slipway.plugin.localindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.python.IndexClient;
import io.slipway.python.IndexException;
import io.slipway.python.IndexFile;
import io.slipway.python.ProjectFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded index with the real tools: twine uploads, pip installs, the index client lists. */
@Tag("process")
class LocalIndexTest {

    @TempDir
    public static Path shared;
    public static List<Path> dists;

    @TempDir
    Path storage;

    @BeforeAll
    public static void buildDistributions() throws Exception {
        dists = RealPython.build(shared.resolve("acme-core"), "acme-core", "0.4.0", "first");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void twineUploadsAndTheIndexClientListsTheFilesWithTheirHashes() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "maintainer", "s3cret", dists);
            assertEquals(0, upload.exitCode(), upload.output());

            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("Acme_Core")
                    .orElseThrow();
            for (Path dist : dists) {
                IndexFile listed = files.file(dist.getFileName().toString()).orElseThrow();
                assertEquals(Optional.of(sha256(dist)), listed.sha256(), listed.toString());
            }
        }
    }

    @Test
    void aFileNameUploadedAgainWithOtherContentIsRejectedLikePyPI() throws Exception {
        List<Path> rebuilt = RealPython.build(shared.resolve("rebuilt"), "acme-core", "0.4.0", "second");
        assertEquals(dists.get(0).getFileName(), rebuilt.get(0).getFileName());
        assertNotEquals(sha256(dists.get(1)), sha256(rebuilt.get(1)));
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-c", "pass");
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());

            RealPython.Result again = RealPython.upload(index.uploadUrl(), "any", "any", List.of(rebuilt.get(1)), "--verbose");

            assertNotEquals(0, again.exitCode());
            assertTrue(again.output().contains("400 Bad Request"), again.output());
            assertTrue(again.output().replaceAll("\\s+", " ").contains("File already exists ('"
                    + dists.get(1).getFileName() + "', with other content)."), again.output());
            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core")
                    .orElseThrow();
            assertEquals(Optional.of(sha256(dists.get(1))),
                    files.file(dists.get(1).getFileName().toString()).orElseThrow().sha256());
        }
    }

    @Test
    void anIdenticalReUploadIsANoOpLikePyPI() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            RealPython.Result again = RealPython.upload(index.uploadUrl(), "any", "any", dists);
            assertEquals(0, again.exitCode(), again.output());

            // The record of accepted uploads beside the storage: each file stored once, then taken again unchanged.
            List<String> ledger = Files.readAllLines(storage.resolveSibling(storage.getFileName() + ".uploads"));
            List<String> expected = new java.util.ArrayList<>();
            for (String what : List.of("stored", "same-again")) {
                for (Path dist : twineOrder(dists)) {
                    expected.add(dist.getFileName() + " " + sha256(dist) + " " + what);
                }
            }
            assertEquals(expected, ledger);
            assertEquals(2, IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core").orElseThrow()
                    .files().size());
        }
    }

    /** twine sends wheels before sdists. */
    private static List<Path> twineOrder(List<Path> files) {
        return files.stream().sorted(java.util.Comparator.comparing((Path f) -> !f.toString().endsWith(".whl"))).toList();
    }

    @Test
    void aWrongPasswordIsRefusedWith401() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "maintainer", "wrong", dists, "--verbose");
            assertNotEquals(0, upload.exitCode());
            assertTrue(upload.output().contains("HTTPError: 401 Unauthorized"), upload.output());
            assertTrue(upload.output().contains("Invalid or non-existent authentication information."), upload.output());
            assertEquals(Optional.empty(), IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core"),
                    "nothing was stored, so the project does not exist");

            // Without credentials at all: 401 asking for Basic, as a client that retries with credentials expects.
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(index.uploadUrl()))
                    .header("Content-Type", "multipart/form-data; boundary=xyz")
                    .POST(HttpRequest.BodyPublishers.ofString("--xyz--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertEquals(Optional.of("Basic realm=\"local-index\""), anonymous.headers().firstValue("WWW-Authenticate"));
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownProjectIs404LikePyPI() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            Files.createDirectories(storage.resolve("acme-empty"));

            assertEquals(404, get(index.simpleUrl() + "acme-scheduler/").statusCode());
            assertEquals(404, get(index.simpleUrl() + "acme-empty/").statusCode(), "a directory without files is no project");
            assertEquals(Optional.empty(), IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-scheduler"));
            assertEquals(404, get(index.simpleUrl().replace("/simple/", "/packages/acme-core/acme_core-9.9.tar.gz"))
                    .statusCode());
            String projects = get(index.simpleUrl()).body();
            assertTrue(projects.contains("<a href=\"/simple/acme-core/\">acme-core</a>"), projects);
            assertFalse(projects.contains("acme-empty"), projects);
        }
    }

    @Test
    void pagesAreJsonWhenTheAcceptHeaderAsksAndHtmlOtherwiseWithHashesAndRequiresPython() throws Exception {
        List<Path> typed = RealPython.build(shared.resolve("typed"), "acme-typed", "2.0", "typed", "requires-python = \">=3.8\"");
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", typed).exitCode());
            String page = index.simpleUrl() + "acme-typed/";

            HttpResponse<String> json = get(page, "Accept", "application/vnd.pypi.simple.v1+json");
            assertEquals(200, json.statusCode());
            assertEquals(Optional.of("application/vnd.pypi.simple.v1+json"), json.headers().firstValue("Content-Type"));
            JsonNode root = new ObjectMapper().readTree(json.body());
            assertEquals("1.1", root.path("meta").path("api-version").asText());
            assertEquals("acme-typed", root.path("name").asText());
            assertEquals("[\"2.0\"]", root.path("versions").toString());
            assertEquals(2, root.path("files").size());
            for (JsonNode file : root.path("files")) {
                Path dist = typed.stream().filter(d -> d.getFileName().toString().equals(file.path("filename").asText()))
                        .findFirst().orElseThrow();
                assertEquals(sha256(dist), file.path("hashes").path("sha256").asText());
                assertEquals(">=3.8", file.path("requires-python").asText());
                assertEquals(Files.size(dist), file.path("size").asLong());
                byte[] download = HTTP.send(HttpRequest.newBuilder(URI.create(page).resolve(file.path("url").asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                assertTrue(java.util.Arrays.equals(Files.readAllBytes(dist), download), file.toString());
            }

            // pip's own Accept header prefers JSON too.
            assertTrue(get(page, "Accept", "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
                    + " text/html; q=0.01").headers().firstValue("Content-Type").orElseThrow().startsWith("application/vnd.pypi.simple.v1+json"));
            assertEquals(Optional.of("application/vnd.pypi.simple.v1+html"),
                    get(page, "Accept", "application/vnd.pypi.simple.v1+html").headers().firstValue("Content-Type"));
            HttpResponse<String> html = get(page);
            assertEquals(Optional.of("text/html; charset=utf-8"), html.headers().firstValue("Content-Type"));
            for (Path dist : typed) {
                assertTrue(html.body().contains("#sha256=" + sha256(dist) + "\" data-requires-python=\"&gt;=3.8\">"
                        + dist.getFileName() + "</a>"), html.body());
            }
            assertEquals(406, get(page, "Accept", "application/xml").statusCode());

            JsonNode projects = new ObjectMapper().readTree(get(index.simpleUrl(), "Accept", "application/vnd.pypi.simple.v1+json").body());
            assertEquals("[{\"name\":\"acme-typed\"}]", projects.path("projects").toString());
        }
    }

    @Test
    void anotherSpellingOfTheNameIsRedirectedToTheNormalizedOneLikePyPI() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            for (String spelling : List.of("Acme_Core/", "acme.core/", "ACME--core/", "acme-core")) {
                HttpResponse<String> answer = get(index.simpleUrl() + spelling);
                assertEquals(301, answer.statusCode(), spelling);
                assertEquals(Optional.of("/simple/acme-core/"), answer.headers().firstValue("Location"), spelling);
            }
            assertEquals(301, get(index.simpleUrl() + "Acme_Scheduler/").statusCode(), "whether the project exists or not");
            HttpResponse<String> followed = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(URI.create(index.simpleUrl() + "Acme_Core/")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, followed.statusCode());
            assertTrue(followed.body().contains(dists.get(0).getFileName().toString()), followed.body());
        }
    }

    @Test
    void headAnswersAsGetDoesWithoutTheBody() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            IndexFile listed = IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core").orElseThrow()
                    .file(dists.get(1).getFileName().toString()).orElseThrow();
            for (URI url : List.of(URI.create(index.simpleUrl() + "acme-core/"), listed.url())) {
                HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, head.statusCode(), url.toString());
                assertEquals("", head.body());
                assertEquals(got.headers().firstValue("Content-Length"), head.headers().firstValue("Content-Length"));
                assertEquals(got.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
            }
            assertEquals(Optional.of(Long.toString(Files.size(dists.get(1)))), HTTP.send(HttpRequest.newBuilder(listed.url())
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("Content-Length"));
        }
    }

    /**
     * A form written by hand: a file whose bytes hold line breaks, dashes and most of the boundary,
     * spread over more than the reader's buffer, comes out unchanged; a digest that does not match
     * the file is refused as PyPI refuses it.
     */
    @Test
    void theFormIsReadAsAStreamAndTheFileKeptByteForByte() throws Exception {
        String boundary = "----slipway-boundary-7f3a";
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            content.write(noise);
            content.write(("\r\n--" + boundary.substring(0, random.nextInt(boundary.length()))).getBytes(StandardCharsets.ISO_8859_1));
        }
        content.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] file = content.toByteArray();
        assertTrue(file.length > 3 * 64 * 1024, "longer than a few buffers: " + file.length);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        try (LocalIndex index = LocalIndex.start(storage)) {
            HttpResponse<String> wrongDigest = post(index, boundary, file, "0".repeat(64));
            assertEquals(400, wrongDigest.statusCode());
            assertEquals("The digest supplied does not match a digest calculated from the uploaded file.",
                    wrongDigest.body().strip());

            HttpResponse<String> stored = post(index, boundary, file, sha);
            assertEquals(201, stored.statusCode(), stored.body());
            assertTrue(java.util.Arrays.equals(file, Files.readAllBytes(storage.resolve("acme-raw/acme_raw-1.0-py3-none-any.whl"))));
            assertEquals(200, post(index, boundary, file, sha).statusCode(), "the same again");
        }
    }

    private static HttpResponse<String> post(LocalIndex index, String boundary, byte[] file, String sha256) throws Exception {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (String[] field : List.of(new String[] {":action", "file_upload"}, new String[] {"name", "acme-raw"},
                new String[] {"version", "1.0"}, new String[] {"sha256_digest", sha256},
                new String[] {"description", "x".repeat(200_000)})) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"acme_raw-1.0-py3-none-any.whl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(index.uploadUrl()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pipInstallsFromItIntoAFreshVenvWithoutCredentials() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "maintainer", "s3cret", dists).exitCode());
            Path venv = shared.resolve("venv-" + System.nanoTime());
            // A venv without its own pip, filled by the system pip (--python): the same install, seconds faster.
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "venv", "--without-pip", venv.toString());
            String python = venv.resolve("bin/python").toString();
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "pip", "--python", python, "install", "--no-cache-dir",
                    "--index-url", index.simpleUrl(), "acme-core==0.4.0");
            RealPython.Result marker = RealPython.ok(shared, Map.of(), python, "-c", "import acme_core; print(acme_core.MARKER)");
            assertEquals("first", marker.output().strip());
        }
    }

    @Test
    void everyValidPep440VersionIsTakenEpochsIncludedAndPipInstallsIt() throws Exception {
        List<Path> epoch = RealPython.build(shared.resolve("epoch"), "acme-epoch", "1!2.0", "epoch");
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "any", "any", epoch);
            assertEquals(0, upload.exitCode(), upload.output());

            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-epoch").orElseThrow();
            for (Path dist : epoch) {
                assertEquals(Optional.of(sha256(dist)), files.file(dist.getFileName().toString()).orElseThrow().sha256());
            }
            Path venv = shared.resolve("venv-epoch");
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "venv", "--without-pip", venv.toString());
            String python = venv.resolve("bin/python").toString();
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "pip", "--python", python, "install", "--no-cache-dir",
                    "--index-url", index.simpleUrl(), "acme-epoch==1!2.0");
            assertEquals("epoch", RealPython.ok(shared, Map.of(), python, "-c", "import acme_epoch; print(acme_epoch.MARKER)")
                    .output().strip());
        }
    }

    @Test
    void aLocalVersionIsRefusedLikePyPIWithTheReasonInTheAnswer() throws Exception {
        List<Path> local = RealPython.build(shared.resolve("local"), "acme-local", "1.0+build7", "local");
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "any", "any", List.of(local.get(1)), "--verbose");

            assertNotEquals(0, upload.exitCode());
            assertTrue(upload.output().contains("400 Bad Request"), upload.output());
            assertTrue(upload.output().contains("Local versions cannot be uploaded (1.0+build7), as on PyPI."), upload.output());
            assertEquals(Optional.empty(), IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-local"));
        }
    }

    @Test
    void filesInTheStorageAreServedAfterARestart() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
        }
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(2, IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core")
                    .orElseThrow().files().size());
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        LocalIndex index = LocalIndex.start(storage);
        index.close();
        index.close();
        assertThrows(IndexException.class, () -> IndexClient.builder(URI.create(index.simpleUrl())).attempts(1).build()
                .files("acme-core"));
    }

    @Test
    void closingLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core");
        }
        // Threads told to stop end a moment later; give them a few seconds, no more.
        List<String> blocking = nonDaemonThreads();
        for (int i = 0; i < 50 && !blocking.isEmpty(); i++) {
            Thread.sleep(100);
            blocking = nonDaemonThreads();
        }
        assertEquals(List.of(), blocking);
    }

    private static List<String> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .filter(n -> !n.equals("main") && !n.startsWith("surefire") && !n.equals("DestroyJavaVM"))
                .toList();
    }
}
