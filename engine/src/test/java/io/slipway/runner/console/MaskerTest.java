package io.slipway.runner.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskerTest {

    @Test
    void everyUrlLosesItsUserInfoAndItsPasswordIsHiddenWhereverItAppearsAlone() {
        Masker masker = new Masker();
        masker.addSecretsFrom(Map.of("PIP_INDEX_URL", "https://ci:p%40ss-4711@pkgs.example/simple/",
                "TWINE_PASSWORD", "twine-pw-4711", "HOME", "/home/ci"));

        assertEquals("index https://pkgs.example/simple/, password *** and ***, home /home/ci",
                masker.mask("index https://ci:p%40ss-4711@pkgs.example/simple/, password p@ss-4711 and twine-pw-4711, home /home/ci"));
    }

    @Test
    void aUrlWithCredentialsNobodyRegisteredIsStillShownWithoutThem() {
        assertEquals("pushing to https://github.com/acme/core.git",
                new Masker().mask("pushing to https://x-access-token:ghs_unregistered@github.com/acme/core.git"));
    }

    @Test
    void theListenerLearnsEachNewSecretOnce() {
        Masker masker = new Masker();
        List<String> told = new ArrayList<>();
        masker.onAdd(told::add);
        masker.addUrlCredentialsIn("--set index-url=https://ci:index-pw-4711@pkgs.example/ and https://ghp_token4711@github.com/");
        masker.add("index-pw-4711");

        assertEquals(List.of("index-pw-4711", "ghp_token4711"), told);
    }

    @Test
    void aStreamMasksWholeLinesEvenWhenASecretIsWrittenInPieces() {
        Masker masker = new Masker();
        masker.add("hunter2-secret");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (PrintStream masked = masker.stream(target)) {
            masked.print("token: hunt");
            masked.print("er2-sec");
            masked.println("ret and https://u:hunter2-secret@host.example/");
            masked.print("last line hunter2-secret");
        }

        assertEquals("token: *** and https://host.example/\nlast line ***\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
