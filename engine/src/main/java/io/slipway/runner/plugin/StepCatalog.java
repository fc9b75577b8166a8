package io.slipway.runner.plugin;

import io.slipway.runner.engine.Spelling;
import io.slipway.spi.CredentialProbe;
import io.slipway.spi.StepType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every step type the runner can use, by id, with where each came from; plus the plugins that
 * could not be loaded and why. Built by {@link PluginDiscovery}.
 */
public final class StepCatalog {

    /** A step type and its origin ("built-in" or a plugin id). */
    public record Entry(StepType type, String origin) {
    }

    /** A loaded plugin, for {@code runner plugins}. */
    public record PluginInfo(String id, String version, String location) {
    }

    /**
     * A loaded library plugin: no step types, classes for the plugins that name it in their
     * {@code plugin.dependencies} ({@code usedBy}).
     */
    public record Library(String id, String version, String location, List<String> usedBy) {
    }

    /**
     * A plugin that was found but not loaded, with the reason in one sentence, and the plugins that are not
     * available because of it (those that need a plugin that is missing).
     */
    public record Problem(String plugin, String reason, List<String> affected) {

        public Problem(String plugin, String reason) {
            this(plugin, reason, List.of());
        }
    }

    private final Map<String, Entry> types = new LinkedHashMap<>();
    private final List<PluginInfo> plugins;
    private final List<Library> libraries;
    private final List<Problem> problems;
    private final List<CredentialProbe> probes;

    StepCatalog(List<Entry> entries, List<PluginInfo> plugins, List<Problem> problems, List<CredentialProbe> probes) {
        this(entries, plugins, List.of(), problems, probes);
    }

    StepCatalog(List<Entry> entries, List<PluginInfo> plugins, List<Library> libraries, List<Problem> problems,
                List<CredentialProbe> probes) {
        entries.forEach(e -> types.putIfAbsent(e.type().id(), e));
        this.plugins = List.copyOf(plugins);
        this.libraries = List.copyOf(libraries);
        this.problems = List.copyOf(problems);
        this.probes = List.copyOf(probes);
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(types.get(id));
    }

    public List<Entry> entries() {
        return types.values().stream().sorted(Comparator.comparing(e -> e.type().id())).toList();
    }

    /** The loaded step plugins (not the library plugins). */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    /** The loaded library plugins. */
    public List<Library> libraries() {
        return libraries;
    }

    public List<Problem> problems() {
        return problems;
    }

    public List<CredentialProbe> credentialProbes() {
        return probes;
    }

    /** The known id closest to {@code id}, for "did you mean"; empty if nothing is close. */
    public Optional<String> suggest(String id) {
        return Spelling.closest(id, types.keySet());
    }
}
