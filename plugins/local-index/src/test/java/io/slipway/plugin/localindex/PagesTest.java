package io.slipway.plugin.localindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PEP 691 content negotiation and the download URLs, without a server. */
class PagesTest {

    @Test
    void theAcceptHeaderPicksTheFormatByQualityTheFirstOfEqualOnesWinning() {
        assertEquals(Optional.of(Pages.TEXT_HTML), Pages.negotiate(null));
        assertEquals(Optional.of(Pages.TEXT_HTML), Pages.negotiate("*/*"));
        assertEquals(Optional.of(Pages.JSON), Pages.negotiate(
                "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"));
        assertEquals(Optional.of(Pages.HTML), Pages.negotiate(
                "application/vnd.pypi.simple.v1+json; q=0.5, application/vnd.pypi.simple.v1+html"));
        assertEquals(Optional.of(Pages.JSON), Pages.negotiate("application/vnd.pypi.simple.latest+json, text/html"));
        assertEquals(Optional.of(Pages.TEXT_HTML), Pages.negotiate("text/html, application/vnd.pypi.simple.v1+json"));
        assertEquals(Optional.of(Pages.TEXT_HTML), Pages.negotiate("application/vnd.pypi.simple.v1+json;q=0, text/*;q=0.2"));
        assertEquals(Optional.empty(), Pages.negotiate("application/xml"));
        assertEquals(Optional.empty(), Pages.negotiate("application/vnd.pypi.simple.v2+json"));
    }

    @Test
    void fileNamesArePercentEncodedInTheirUrlExceptTheEpochMark() {
        assertEquals("/packages/acme-core/acme_core-1!2.0-py3-none-any.whl",
                Pages.url("acme-core", "acme_core-1!2.0-py3-none-any.whl"));
        assertEquals("/packages/acme/acme%20x%2B1-1.0.tar.gz", Pages.url("acme", "acme x+1-1.0.tar.gz"));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\u00e9\"", Pages.quote("a\"b\\c\n\u0001\u00e9"));
    }

    @Test
    void htmlIsEscaped() {
        assertEquals("&gt;=3.8, &lt;4 &amp; &quot;x&quot; &#39;y&#39;", Pages.escape(">=3.8, <4 & \"x\" 'y'"));
    }
}
