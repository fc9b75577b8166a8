package io.slipway.plugin.twineupload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.spi.StepContext;
import io.slipway.spi.StepJournal;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What twine-upload tells {@code runner abandon} it published, from its journal facts alone. */
class PublishedTest {

    /** A context that has only what published() reads: the facts and the repository input. */
    private static StepContext withFacts(Map<String, String> facts) {
        StepJournal journal = new StepJournal() {
            public Optional<String> get(String key) {
                return Optional.ofNullable(facts.get(key));
            }

            public void put(String key, String value) {
                throw new UnsupportedOperationException("published() must not change anything");
            }

            public void remove(String key) {
                throw new UnsupportedOperationException("published() must not change anything");
            }

            public Map<String, String> entries() {
                return facts;
            }
        };
        return (StepContext) Proxy.newProxyInstance(StepContext.class.getClassLoader(), new Class<?>[] {StepContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "journal" -> journal;
                    case "string" -> "pypi";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void uploadsToARealIndexArePublishedAndOneInFlightMayBe() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("upload:acme-1.0.tar.gz", "done abc123 to https://upload.pypi.org/legacy/");
        facts.put("upload:acme-1.0-py3-none-any.whl", "in-flight def456 to https://upload.pypi.org/legacy/");
        facts.put("other", "not an upload");
        assertEquals(List.of("acme-1.0.tar.gz uploaded to https://upload.pypi.org/legacy/",
                "acme-1.0-py3-none-any.whl was being uploaded to https://upload.pypi.org/legacy/; it may have arrived"),
                new TwineUpload().published(withFacts(facts)));
    }

    @Test
    void uploadsToAnIndexOnThisMachineReachNobody() throws Exception {
        Map<String, String> facts = Map.of("upload:acme-1.0.tar.gz", "done abc123 to http://127.0.0.1:40123/ (/repo/.slipway/index/rehearsal/3f2a)");
        assertEquals(List.of(), new TwineUpload().published(withFacts(facts)));
    }

    @Test
    void aRecordWithoutItsDestinationCountsForTheStepsRepository() throws Exception {
        assertEquals(List.of("acme-1.0.tar.gz uploaded to pypi"),
                new TwineUpload().published(withFacts(Map.of("upload:acme-1.0.tar.gz", "done abc123"))));
    }
}
