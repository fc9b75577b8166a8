package io.slipway.plugin.tagging;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pushing over SSH to a real SSH git server (JGit's test server on Apache MINA sshd) with the
 * user's key from {@code $HOME/.ssh} and the server's key in {@code known_hosts}.
 */
class SshPushTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();
    Git origin;
    SshTestGitServer server;
    Path home;
    KeyPair hostKey;
    int port;

    @BeforeEach
    void sshServer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair userKey = generator.generateKeyPair();
        hostKey = generator.generateKeyPair();
        origin = Git.open(fx.origin.toFile());
        server = new SshTestGitServer("releaser", userKey.getPublic(), origin.getRepository(), hostKey);
        port = server.start();

        home = fx.path("home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path key = ssh.resolve("id_ecdsa");
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "releaser", null, out);
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        StoredConfig config = fx.git.getRepository().getConfig();
        config.setString("remote", "origin", "url", "ssh://releaser@localhost:" + port + "/origin.git");
        config.save();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        origin.close();
    }

    private void trustServer() throws Exception {
        Files.writeString(home.resolve(".ssh/known_hosts"),
                "[localhost]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    }

    private StepHarness harness() {
        return StepHarness.of(new TagAndPush()).workspace(fx.work).stateDir(fx.path("state")).version("1.2.0")
                .env("HOME", home.toString());
    }

    @Test
    void pushesOverSshWithTheUsersKeyAndAKnownHost() throws Exception {
        trustServer();
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals(fx.head(), fx.originHead());
            assertEquals(fx.git.getRepository().exactRef("refs/tags/v1.2.0").getObjectId(),
                    fx.originRef("refs/tags/v1.2.0"));
        }
    }

    @Test
    void aServerMissingFromKnownHostsIsRefusedBeforeAnythingIsTagged() throws Exception {
        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.FAILED, run.result().status());
            assertTrue(run.result().message().startsWith("listing the tags of 'origin' failed"), run.result().message());
            assertTrue(run.result().message().endsWith("Server key did not validate"), run.result().message());
            assertTrue(run.result().hint().contains("known_hosts"), run.result().hint());
            assertNull(fx.git.getRepository().exactRef("refs/tags/v1.2.0"));
        }
    }
}
