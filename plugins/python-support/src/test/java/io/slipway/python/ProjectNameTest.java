package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNameTest {

    /** PEP 503's rule, with the spellings its "Normalized Names" section lists as equivalent. */
    @ParameterizedTest(name = "{0} normalises to {1}")
    @CsvSource({"friendly-bard, friendly-bard", "Friendly-Bard, friendly-bard", "FRIENDLY-BARD, friendly-bard",
            "friendly.bard, friendly-bard", "friendly_bard, friendly-bard", "friendly--bard, friendly-bard",
            "FrIeNdLy-._.-bArD, friendly-bard", "acme_core, acme-core"})
    void normalisesAsPep503Says(String written, String normalised) {
        assertEquals(normalised, ProjectName.of(written).normalized());
    }

    @Test
    void differentSpellingsNameTheSameProject() {
        assertTrue(ProjectName.of("Acme_Core").sameProjectAs(ProjectName.of("acme.core")));
    }

    @Test
    void wheelFileNamesUseUnderscores() {
        assertEquals("acme_core", ProjectName.of("Acme-Core").fileNameForm());
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "-acme", "acme-", "acme core", "acmé", "acme/core"})
    void refusesNamesOutsidePep508(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectName.of(name));
        assertTrue(e.getMessage().startsWith("\"" + name + "\" is not a valid Python project name"));
    }
}
