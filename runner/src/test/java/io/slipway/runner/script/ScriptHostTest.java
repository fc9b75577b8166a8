package io.slipway.runner.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.runner.model.OutputRef;
import io.slipway.runner.model.Pipeline;
import io.slipway.runner.model.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptHostTest {

    @TempDir
    static Path cache;

    private static Pipeline eval(String text, Map<String, String> params) {
        return new ScriptHost(cache).evaluate(text, "release.kts", new ReleaseScope("3.1.0", params, false));
    }

    @Test
    void aScriptDeclaresJobsStepsInputsAndReferences() {
        Pipeline p = eval("""
                val packages = listOf("packages/core", "packages/meta")
                pipeline("release") {
                    job("build") {
                        step("python-build") { input("packages", packages); input("no-isolation", true) }
                    }
                    job("publish", needs = "build") {
                        step("twine-upload", id = "upload") {
                            input("files", output("build/python-build", "files"))
                            input("repository", param("repository", "pypi"))
                            retry(2)
                            timeout = 5.minutes
                        }
                        run("tag", "git tag v$version")
                    }
                }
                """, Map.of("repository", "testpypi"));
        assertEquals("release", p.name());
        assertEquals(List.of("build"), p.jobs().get(1).needs());
        Step upload = p.jobs().get(1).steps().get(0);
        assertEquals("upload", upload.id());
        assertEquals(new OutputRef("build/python-build", "files"), upload.inputs().get("files"));
        assertEquals("testpypi", upload.inputs().get("repository"));
        assertEquals(2, upload.retries());
        assertEquals(300, upload.timeout().toSeconds());
        assertEquals("git tag v3.1.0", p.jobs().get(1).steps().get(1).inputs().get("command"));
        assertEquals(List.of("packages/core", "packages/meta"), p.jobs().get(0).steps().get(0).inputs().get("packages"));
        assertEquals(7, p.jobs().get(1).steps().get(0).location().line());
        assertTrue(p.params().containsKey("repository"));
    }

    @Test
    void aMatrixMakesOneJobPerValueInOneGroup() {
        Pipeline p = eval("""
                pipeline("release") {
                    matrix("build", listOf("packages/core", "packages/meta")) { pkg ->
                        step("python-build") { input("packages", pkg) }
                    }
                }
                """, Map.of());
        assertEquals(List.of("build-packages-core", "build-packages-meta"), p.jobs().stream().map(j -> j.id()).toList());
        assertEquals("build", p.jobs().get(1).group());
    }

    @Test
    void anUnresolvedReferenceIsReportedWithLineAndColumn() {
        ScriptException e = assertThrows(ScriptException.class, () -> eval("""
                pipeline("release") {
                    job("a") {
                        stepp("x")
                    }
                }
                """, Map.of()));
        var first = e.getErrors().get(0);
        assertEquals(3, first.getFirst().line());
        assertEquals(9, first.getFirst().column());
        assertTrue(first.getSecond().contains("stepp"), first.getSecond());
    }

    @Test
    void aDuplicateStepIsReportedAtItsLine() {
        ScriptException e = assertThrows(ScriptException.class, () -> eval("""
                pipeline("release") {
                    job("a") {
                        run("x", "true")
                        run("x", "false")
                    }
                }
                """, Map.of()));
        assertEquals(4, e.getErrors().get(0).getFirst().line());
        assertTrue(e.getMessage().contains("declared twice"), e.getMessage());
    }

    @Test
    void aScriptThatIsNotUtf8IsAScriptErrorAtItsFirstBadByte(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("release.kts");
        // Latin-1 after UTF-8 text: the column counts characters (the e with diaeresis is two bytes, one column)
        byte[] utf8 = "pipeline(\"release\") {\n  // by Zo\u00eb ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "Ren\u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(script, java.nio.ByteBuffer.allocate(utf8.length + latin1.length).put(utf8).put(latin1).array());

        ScriptException e = assertThrows(ScriptException.class,
                () -> new ScriptHost(cache).evaluate(script, new ReleaseScope("3.1.0", Map.of(), false)));

        assertEquals(2, e.getErrors().get(0).getFirst().line());
        assertEquals(16, e.getErrors().get(0).getFirst().column());
        assertTrue(e.getErrors().get(0).getSecond().startsWith("the script is not UTF-8 text (byte 0xE9 here)"), e.getMessage());
    }

    @Test
    void aScriptWithoutPipelineIsRefused() {
        ScriptException e = assertThrows(ScriptException.class, () -> eval("val x = 1", Map.of()));
        assertTrue(e.getMessage().contains("declares no pipeline"));
    }

    @Test
    void theSecondEvaluationOfTheSameTextComesFromTheCache() throws Exception {
        String text = "pipeline(\"cached\") { job(\"a\") { log(\"hello\", \"hi $version\") } }";
        eval(text, Map.of());
        String key = ScriptHost.Companion.cacheKey(text);
        assertTrue(Files.exists(cache.resolve(key + ".jar")));
        try (var jar = new java.util.jar.JarFile(cache.resolve(key + ".jar").toFile())) {
            // Kotlin loads a cached script only if every file its manifest names exists: this machine's paths must not be there
            assertEquals(null, jar.getManifest().getMainAttributes().getValue("Class-Path"), "names no file of this machine");
            assertEquals("Release", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        Pipeline again = eval(text, Map.of());
        assertInstanceOf(String.class, again.jobs().get(0).steps().get(0).inputs().get("message"));
    }

    @Test
    void compiledScriptsUnusedForThirtyDaysAreDeletedWhenAHostStarts() throws Exception {
        Files.createDirectories(cache);
        Path old = Files.writeString(cache.resolve("0000old.jar"), "stale");
        Path recent = Files.writeString(cache.resolve("0000recent.jar"), "fresh");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(31))));
        Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(29))));

        new ScriptHost(cache);

        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
    }

    @Test
    void aScriptWhoseCacheCannotBeWrittenStillRunsAndTheHostSaysWhy(@TempDir Path tmp) throws Exception {
        Path cacheUnderAFile = Files.writeString(tmp.resolve("file"), "not a folder").resolve("scripts");
        List<String> warnings = new java.util.ArrayList<>();
        String text = "pipeline(\"uncached\") { job(\"a\") { log(\"hello\", \"hi\") } }";

        Pipeline p = new ScriptHost(cacheUnderAFile, ScriptHost.DEFAULT_EVALUATION_TIMEOUT, null, warnings::add)
                .evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false));

        assertEquals("uncached", p.name());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("release.kts was compiled, but it could not be kept in " + cacheUnderAFile + " ("),
                warnings::toString);
        assertEquals(List.of("file"), Files.list(tmp).map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void withoutACacheFolderTheShippedCompiledScriptIsUsedAndAnyOtherIsCompiledWithAWarning(@TempDir Path shipped) throws Exception {
        String text = "pipeline(\"shipped\") { job(\"a\") { log(\"hello\", \"hi\") } }";
        Path script = Files.writeString(shipped.resolve("release.kts"), text);
        new ScriptHost(shipped).compile(script);
        Files.delete(script);
        List<String> warnings = new java.util.ArrayList<>();
        ScriptHost noCache = new ScriptHost(null, ScriptHost.DEFAULT_EVALUATION_TIMEOUT, shipped, warnings::add);

        assertEquals("shipped", noCache.evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false)).name());
        assertEquals(List.of(), warnings, "the shipped jar was loaded, nothing compiled");

        noCache.evaluate(text.replace("hi", "other"), "user.kts", new ReleaseScope("1.0", Map.of(), false));
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("user.kts was compiled, but there is no folder for compiled scripts"), warnings::toString);
    }

    @Test
    void aShippedCopyThatDoesNotLoadIsCompiledIntoTheUsersCacheAndLeftAsItWas(@TempDir Path tmp) throws Exception {
        String text = "pipeline(\"broken-shipped\") { job(\"a\") { log(\"hello\", \"hi\") } }";
        Path shipped = Files.createDirectories(tmp.resolve("scripts"));
        Path copy = Files.writeString(shipped.resolve(ScriptHost.Companion.cacheKey(text) + ".jar"), "not a jar");
        Path userCache = tmp.resolve("cache");
        List<String> warnings = new java.util.ArrayList<>();

        Pipeline p = new ScriptHost(userCache, ScriptHost.DEFAULT_EVALUATION_TIMEOUT, shipped, warnings::add)
                .evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false));

        assertEquals("broken-shipped", p.name());
        assertEquals(List.of(), warnings);
        assertEquals("not a jar", Files.readString(copy), "the installation is not written to");
        assertTrue(Files.exists(userCache.resolve(ScriptHost.Companion.cacheKey(text) + ".jar")));
    }

    @Test
    void theCacheFolderIsNeverRelativeToTheRepositoryUnlessSlipwayCacheDirSaysSo() {
        assertEquals(Path.of("/home/u/.cache/slipway/scripts"), ScriptHost.defaultCacheDir(Map.of(), "/home/u"));
        assertEquals(Path.of("/xdg/slipway/scripts"), ScriptHost.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"));
        // a relative XDG_CACHE_HOME is ignored (XDG base directory spec)
        assertEquals(Path.of("/home/u/.cache/slipway/scripts"), ScriptHost.defaultCacheDir(Map.of("XDG_CACHE_HOME", "xdg"), "/home/u"));
        // Java's user.home of a user without a passwd entry
        assertEquals(null, ScriptHost.defaultCacheDir(Map.of(), "?"));
        assertEquals(Path.of("c"), ScriptHost.defaultCacheDir(Map.of("SLIPWAY_CACHE_DIR", "c", "XDG_CACHE_HOME", "/xdg"), "?"));
    }

    @Test
    void twoHostsCompilingTheSameScriptAtOnceLeaveOneWholeCacheEntry(@TempDir Path shared) throws Exception {
        String text = "pipeline(\"release\") { job(\"a\") { run(\"x\", \"echo concurrent " + System.nanoTime() + "\") } }";
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Pipeline>> both = two.invokeAll(List.of(
                    () -> new ScriptHost(shared).evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false)),
                    () -> new ScriptHost(shared).evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false))));
            for (var f : both) {
                assertEquals("release", f.get().name());
            }
        } finally {
            two.shutdownNow();
        }
        try (var files = java.nio.file.Files.list(shared)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertEquals(1, names.size(), names::toString);
            assertTrue(names.get(0).endsWith(".jar"), names::toString);
        }
        // and a third host reads the entry
        assertEquals("release", new ScriptHost(shared).evaluate(text, "release.kts", new ReleaseScope("1.0", Map.of(), false)).name());
    }
}
