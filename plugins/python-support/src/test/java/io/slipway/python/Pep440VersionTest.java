package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Pep440VersionTest {

    /** Cases from PEP 440's "Normalization" section, plus its epoch and leading-zero examples. */
    @ParameterizedTest(name = "{0} normalises to {1}")
    @CsvSource({
            "1.1RC1, 1.1rc1",
            "00, 0",
            "09000, 9000",
            "1.0+foo0100, 1.0+foo0100",
            "1.1.a1, 1.1a1",
            "1.1-a1, 1.1a1",
            "1.1_a1, 1.1a1",
            "1.0a.1, 1.0a1",
            "1.1a-1, 1.1a1",
            "1.1alpha1, 1.1a1",
            "1.1beta2, 1.1b2",
            "1.1c3, 1.1rc3",
            "1.1pre4, 1.1rc4",
            "1.1preview5, 1.1rc5",
            "1.2a, 1.2a0",
            "1.2-post2, 1.2.post2",
            "1.2post2, 1.2.post2",
            "1.2.post2, 1.2.post2",
            "1.2post-2, 1.2.post2",
            "1.0-r4, 1.0.post4",
            "1.0-rev4, 1.0.post4",
            "1.2.post, 1.2.post0",
            "1.0-1, 1.0.post1",
            "1.2-dev2, 1.2.dev2",
            "1.2dev2, 1.2.dev2",
            "1.2.dev, 1.2.dev0",
            "1.0+ubuntu-1, 1.0+ubuntu.1",
            "1.0+ubuntu_1, 1.0+ubuntu.1",
            "1.0+UBUNTU.007, 1.0+ubuntu.7",
            "v1.0, 1.0",
            "V1.0, 1.0",
            "'  1.0\t', 1.0",
            "0!1.0, 1.0",
            "1!1.0, 1!1.0",
            "2012.10, 2012.10",
            "1.0.0a1.post2.dev3+abc, 1.0.0a1.post2.dev3+abc",
    })
    void normalisesTheSpellingsThePepAccepts(String written, String normalised) {
        assertEquals(normalised, Pep440Version.parse(written).toString());
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "french toast", "1.0-", "1.0+", "1..0", "1.0+a+b", "1.0-foo", "1.0.", ".1",
            "1.0+local_", "1.0 beta", "1.0a1b2", "1!", "!1.0", "1.0.dev1.post1"})
    void refusesStringsThatAreNotVersions(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pep440Version.parse(text));
        assertTrue(e.getMessage().startsWith("\"" + text + "\" is not a valid PEP 440 version"), e.getMessage());
        assertFalse(Pep440Version.isValid(text));
    }

    /** The ordering example of PEP 440's "Summary of permitted suffixes and relative ordering". */
    private static final List<String> PEP_ORDER = List.of(
            "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1");

    @Test
    void sortsThePepsOrderingExampleInItsOrder() {
        List<Pep440Version> shuffled = new ArrayList<>(PEP_ORDER.stream().map(Pep440Version::parse).toList());
        Collections.shuffle(shuffled, new Random(440));
        Collections.sort(shuffled);
        assertEquals(PEP_ORDER, shuffled.stream().map(Pep440Version::toString).toList());
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.0, 1!0.1",
            "1.9, 1.10",
            "1.0, 1.0.1",
            "1.0a1, 1.0a1.post1",
            "1.0c1, 1.0rc2",
            "1.0+abc, 1.0+abd",
            "1.0+abc, 1.0+abc.1",
            "1.0+zzz, 1.0+0",
            "1.0rc1, 1.0.post0.dev0",
            "99999999999999999999, 100000000000000000000",
    })
    void ordersVersionsThePepWay(String lower, String higher) {
        assertTrue(Pep440Version.parse(lower).compareTo(Pep440Version.parse(higher)) < 0);
        assertTrue(Pep440Version.parse(higher).compareTo(Pep440Version.parse(lower)) > 0);
    }

    @Test
    void trailingZerosOfTheReleaseDoNotMakeADifferentVersion() {
        Pep440Version short_ = Pep440Version.parse("1.0");
        Pep440Version long_ = Pep440Version.parse("1.0.0");
        assertEquals(short_, long_);
        assertEquals(short_.hashCode(), long_.hashCode());
        assertEquals("1.0.0", long_.toString());
    }

    @Test
    void aLocalLabelMakesADifferentVersion() {
        assertNotEquals(Pep440Version.parse("1.0"), Pep440Version.parse("1.0+1"));
    }

    @ParameterizedTest(name = "{0} is a pre-release: {1}")
    @CsvSource({"1.0a1, true", "1.0b2, true", "1.0rc1, true", "1.0.dev3, true", "1.0.post1.dev1, true",
            "1.0, false", "1.0.post1, false", "1.0+local, false", "1!2.0, false"})
    void knowsPreReleasesAsPipDoes(String version, boolean pre) {
        assertEquals(pre, Pep440Version.parse(version).isPreRelease());
    }

    @Test
    void exposesTheSegmentsOfAVersion() {
        Pep440Version v = Pep440Version.parse("2!1.4rc3.post5.dev6+build.9");
        assertEquals("2", v.epoch().toString());
        assertEquals(Pep440Version.PreKind.RELEASE_CANDIDATE, v.preKind().orElseThrow());
        assertEquals("3", v.preNumber().orElseThrow().toString());
        assertEquals("5", v.post().orElseThrow().toString());
        assertEquals("6", v.dev().orElseThrow().toString());
        assertEquals(List.of("build", "9"), v.local());
        assertTrue(v.isLocal() && v.isPostRelease() && v.isDevRelease());
        assertEquals("2!1.4rc3.post5.dev6", v.publicVersion().toString());
        assertEquals("2!1.4", v.baseVersion().toString());
    }
}
