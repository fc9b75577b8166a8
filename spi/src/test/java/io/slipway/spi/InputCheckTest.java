package io.slipway.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputCheckTest {

    @Test
    void oneOfNamesTheAllowedValuesAndTheValueGiven() {
        InputCheck check = InputCheck.oneOf("pypi", "testpypi");
        assertEquals(Optional.empty(), check.problem("testpypi"));
        assertEquals(Optional.of("must be one of pypi, testpypi, not \"pipy\""), check.problem("pipy"));
    }

    @Test
    void rangeIncludesBothEnds() {
        InputCheck check = InputCheck.range(1, 3600);
        assertEquals(Optional.empty(), check.problem(1));
        assertEquals(Optional.empty(), check.problem(3600));
        assertEquals(Optional.of("must be from 1 to 3600, not 0"), check.problem(0));
        assertEquals(Optional.of("must be from 1 to 3600, not 3601"), check.problem(3601));
    }

    @Test
    void urlTakesOnlyHttpAndHttpsWithAHost() {
        InputCheck check = InputCheck.url();
        assertEquals(Optional.empty(), check.problem("https://hooks.example.com/release?x=1"));
        assertEquals(Optional.empty(), check.problem("HTTP://127.0.0.1:8080/"));
        for (String bad : new String[] {"hooks.example.com/release", "ftp://example.com/", "https:///path", "http://exa mple.com/"}) {
            assertEquals(Optional.of("must be an http(s) URL with a host, not \"" + bad + "\""), check.problem(bad), bad);
        }
    }

    @Test
    void patternMustMatchTheWholeValue() {
        InputCheck check = InputCheck.pattern("v?\\d+", "a number with an optional v");
        assertEquals(Optional.empty(), check.problem("v12"));
        assertEquals(Optional.of("must be a number with an optional v, not \"v12-rc\""), check.problem("v12-rc"));
    }
}
