package io.slipway.plugin.gitsupport;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.StepContext;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.ChainingCredentialsProvider;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.NetRCCredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How a step reaches the git remote: SSH through JGit's Apache MINA sshd client with the user's
 * {@code ~/.ssh} keys, config and {@code known_hosts}; HTTPS with a token from the environment,
 * else {@code ~/.netrc}.
 *
 * <p>The SSH factory is set on every transport explicitly: JGit finds its default one through
 * {@link java.util.ServiceLoader}, which does not see a plugin's class loader.
 */
public final class RemoteAccess implements TransportConfigCallback, AutoCloseable {

    /** The inputs every step that talks to the remote declares. */
    public static final List<InputSpec> INPUTS = List.of(
            InputSpec.optional("remote", InputType.STRING, "origin", "the git remote to talk to"),
            InputSpec.optional("token-env", InputType.STRING, "GITHUB_TOKEN",
                    "environment variable holding a token for HTTPS remotes; ~/.netrc is used when it is unset"),
            InputSpec.optional("username", InputType.STRING, "x-access-token",
                    "user name sent with the HTTPS token (GitHub accepts any; GitLab wants oauth2)"));

    private final Path home;
    private final CredentialsProvider credentials;
    private SshdSessionFactory ssh;

    private RemoteAccess(Path home, CredentialsProvider credentials) {
        this.home = home;
        this.credentials = credentials;
    }

    /** Reads the token named by {@code token-env} from the step's environment and masks it. */
    public static RemoteAccess of(StepContext ctx) {
        String variable = ctx.string("token-env");
        String token = ctx.env().get(variable);
        CredentialsProvider netrc = new NetRCCredentialsProvider();
        CredentialsProvider credentials;
        if (token != null && !token.isBlank()) {
            ctx.mask(token);
            ctx.log().detail("HTTPS credentials: token from $" + variable);
            credentials = new ChainingCredentialsProvider(
                    new UsernamePasswordCredentialsProvider(ctx.string("username"), token), netrc);
        } else {
            credentials = netrc;
        }
        String home = ctx.env().getOrDefault("HOME", System.getProperty("user.home"));
        return new RemoteAccess(Path.of(home), credentials);
    }

    /** Configures a fetch, push or ls-remote command to use these credentials. */
    public <C extends TransportCommand<C, ?>> C apply(C command) {
        return command.setTransportConfigCallback(this);
    }

    @Override
    public void configure(Transport transport) {
        transport.setCredentialsProvider(credentials);
        if (transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(sshFactory());
        }
    }

    private synchronized SshdSessionFactory sshFactory() {
        if (ssh == null) {
            File dir = home.toFile();
            ssh = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(dir)
                    .setSshDirectory(new File(dir, ".ssh"))
                    .build(new JGitKeyCache());
        }
        return ssh;
    }

    /** Stops the SSH client if one was started. */
    @Override
    public synchronized void close() {
        if (ssh != null) {
            ssh.close();
            ssh = null;
        }
    }
}
