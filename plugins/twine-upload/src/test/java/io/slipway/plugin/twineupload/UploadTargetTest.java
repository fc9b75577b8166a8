package io.slipway.plugin.twineupload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.python.ProjectName;
import io.slipway.spi.StepException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploadTargetTest {

    @Test
    void pypiIsCheckedOnPypisSimpleIndexWithoutSendingItTheUploadCredentials() throws StepException {
        UploadTarget pypi = UploadTarget.of("pypi", Optional.empty(), Optional.of(URI.create("https://upload.pypi.org/legacy/")),
                Optional.empty());

        assertEquals(List.of("--repository", "pypi"), pypi.twineArgs());
        assertEquals(URI.create("https://pypi.org/simple/"), pypi.index());
        assertFalse(pypi.sameHost());
        assertEquals("https://pypi.org/project/acme-core/1.2.0/", pypi.projectPage(ProjectName.of("Acme_Core"), "1.2.0"));
    }

    @Test
    void anUploadUrlIsAlsoTheIndexUnlessOneIsGiven() throws StepException {
        UploadTarget url = UploadTarget.of("https://pkgs.example.org/simple", Optional.empty(),
                Optional.of(URI.create("https://pkgs.example.org/simple")), Optional.empty());

        assertEquals(List.of("--repository-url", "https://pkgs.example.org/simple"), url.twineArgs());
        assertEquals(URI.create("https://pkgs.example.org/simple/"), url.index());
        assertTrue(url.sameHost());
    }

    @Test
    void credentialsWrittenIntoTheUploadUrlAreNeitherShownNorPutOnTwinesCommandLine() throws StepException {
        UploadTarget url = UploadTarget.of("https://ci:s3cret-pw@pkgs.example.org/upload/", Optional.empty(),
                Optional.of(URI.create("https://pkgs.example.org/upload/")), Optional.empty());

        assertEquals("https://pkgs.example.org/upload/", url.repository());
        assertEquals(List.of("--repository-url", "https://pkgs.example.org/upload/"), url.twineArgs());
    }

    @Test
    void aPypircNameWithoutAKnownAddressNeedsAnIndexUrl() {
        StepException e = assertThrows(StepException.class, () -> UploadTarget.of("internal", Optional.empty(), Optional.empty(),
                Optional.empty()));

        assertTrue(e.getMessage().contains("no index-url"), e.getMessage());
    }
}
