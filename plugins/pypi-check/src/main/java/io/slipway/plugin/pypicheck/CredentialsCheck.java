package io.slipway.plugin.pypicheck;

import io.slipway.python.Credentials;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Early in a release, tells which source would give the upload credentials for each target, and
 * warns or fails for the targets without any, instead of finding out at the upload.
 */
@Extension
public class CredentialsCheck implements StepType {

    @Override
    public String id() {
        return "pypi-check/credentials";
    }

    @Override
    public String description() {
        return "Reports where the upload credentials for each target come from; warns or fails when some are missing.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("targets", InputType.LIST, List.of("pypi"),
                        "twine repository names (pypi, testpypi, a ~/.pypirc section) or upload URLs"),
                InputSpec.optional("missing", InputType.STRING, "warn", "what a target without credentials does: warn or fail"),
                InputSpec.optional("config-file", InputType.STRING, null,
                        "a .pypirc to read instead of ~/.pypirc, relative to the workspace"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("sources", InputType.MAP,
                "for each target, where its credentials come from, or an empty string if missing"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String missingPolicy = ctx.string("missing");
        if (!missingPolicy.equals("warn") && !missingPolicy.equals("fail")) {
            throw new StepException("input missing is \"" + missingPolicy + "\"", "use warn or fail");
        }
        Credentials credentials = Credentials.of(ctx.env());
        Optional<String> configFile = ctx.optionalString("config-file");
        if (configFile.isPresent()) {
            Path file = ctx.workspace().resolve(configFile.get());
            if (!Files.isRegularFile(file)) {
                throw new StepException("config-file \"" + configFile.get() + "\" does not exist (looked at " + file + ")",
                        "give the path of a .pypirc relative to the workspace, or leave config-file out for ~/.pypirc");
            }
            credentials = credentials.withConfigFile(file);
        }
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String target : ctx.list("targets")) {
            Optional<Credentials.Found> found = credentials.find(target);
            sources.put(target, found.map(Credentials.Found::source).orElse(""));
            if (found.isPresent()) {
                ctx.log().info(target + ": credentials from " + found.get().source());
            } else {
                missing.add(target);
                ctx.log().warn(target + ": no credentials; " + credentials.hint(target));
            }
        }
        ctx.output("sources", sources);
        if (missing.isEmpty()) {
            return StepResult.success("credentials found for " + String.join(", ", sources.keySet()));
        }
        String message = "no upload credentials for " + String.join(", ", missing);
        if (missingPolicy.equals("fail")) {
            return StepResult.failure(message, credentials.hint(missing.get(0)));
        }
        return StepResult.success(message + " (warning)");
    }
}
