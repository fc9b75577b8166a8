package io.slipway.runner.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The durable record of one release (pipeline + version): {@code <state-dir>/<pipeline>/<version>/journal.json}.
 *
 * <p>Every change goes through {@link #update}, which applies it and writes the whole file
 * atomically (temp file, fsync, rename, fsync of the directory), so a crash at any instant leaves
 * either the old or the new journal, never a torn one. A lock file in the state dir, held for the
 * journal's lifetime, keeps a second runner off every release of the repository (two releases at
 * once would stack their commits and clean up each other's files); the operating system releases
 * it when the process dies, even by {@code kill -9}.
 */
public final class Journal implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalData data;
    private final Path setAside;

    private Journal(Path file, FileChannel lockChannel, FileLock lock, JournalData data, Path setAside) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.data = data;
        this.setAside = setAside;
    }

    /** The directory of one release's journal, log-independent. */
    public static Path directory(Path stateDir, String pipeline, String version, boolean dryRun) {
        return stateDir.resolve(pipeline).resolve(dryRun ? version + "-dry-run" : version);
    }

    /**
     * Takes the state dir's lock, then opens (or creates) the release's journal.
     *
     * @param restart whether a journal this release cannot resume (damaged, or another release's) is
     *                moved aside, to {@code journal-<UTC time>.json} beside it, instead of refused
     * @throws JournalLockedException   if another runner holds the state dir's lock; nothing was created
     * @throws JournalUnusableException if the file exists but is damaged or another release's, without restart
     */
    public static Journal open(Path stateDir, Release release, boolean restart) throws IOException {
        Files.createDirectories(stateDir);
        ignoreInGit(stateDir);
        Path lockFile = stateDir.resolve("runner.lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new JournalLockedException(stateDir, holder);
        }
        try {
            Path dir = directory(stateDir, release.pipeline(), release.version(), release.dryRun());
            Files.createDirectories(dir);
            Path file = dir.resolve("journal.json");
            JournalData data = fresh(release);
            Path aside = null;
            if (Files.exists(file)) {
                try {
                    data = read(file, release);
                } catch (JournalUnusableException e) {
                    if (!restart) {
                        throw e;
                    }
                    aside = dir.resolve("journal-" + ASIDE.format(Instant.now()) + ".json");
                    Files.move(file, aside);
                }
            }
            // Who holds the lock, for the message of a runner that finds it taken; written only by a run that goes on.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((release.describe() + " (pid " + ProcessHandle.current().pid() + ")")
                    .getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new Journal(file, channel, lock, data, aside);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * The state dir (and a log dir the runner makes) usually sits inside the repository being released;
     * a {@code .gitignore} of {@code *} keeps the journal and logs out of git status, so a clean-tree
     * check does not trip over them.
     */
    public static void ignoreInGit(Path stateDir) throws IOException {
        Path ignore = stateDir.resolve(".gitignore");
        if (!Files.exists(ignore)) {
            Files.writeString(ignore, "# Slipway's journals and logs\n*\n");
        }
    }

    private static JournalData fresh(Release release) {
        JournalData d = new JournalData();
        d.pipeline = release.pipeline();
        d.version = release.version();
        d.dryRun = release.dryRun();
        d.repository = release.repository();
        d.script = release.script();
        return d;
    }

    /** Reads a journal and checks that it is whole and this release's; one written before the repository and script were recorded gets them. */
    static JournalData read(Path file, Release release) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw JournalUnusableException.damaged(file, "it is not UTF-8 text");
        }
        JournalData d;
        try {
            d = JSON.readValue(text, JournalData.class);
        } catch (MismatchedInputException e) {
            d = null;
        } catch (JsonProcessingException e) {
            // Cut short or garbled: Jackson does not tell the two apart reliably, the position is what helps.
            throw JournalUnusableException.damaged(file, "it is not complete, valid JSON: it breaks at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (d == null) {
            throw JournalUnusableException.damaged(file, text.isBlank() ? "it is empty" : "it is JSON, but not a journal");
        }
        if (d.format != JournalData.FORMAT) {
            throw JournalUnusableException.damaged(file, "format " + d.format + ", this runner reads format " + JournalData.FORMAT);
        }
        Optional<String> gap = gap(d);
        if (gap.isPresent()) {
            throw JournalUnusableException.damaged(file, gap.get() + " is null");
        }
        if (d.stepCount != d.steps.size()) {
            throw JournalUnusableException.damaged(file, "it lists " + d.steps.size() + " steps but records " + d.stepCount);
        }
        List<String> differences = release.differences(d);
        if (!differences.isEmpty()) {
            throw JournalUnusableException.foreign(file, String.join(", ", differences));
        }
        d.repository = release.repository();
        d.script = release.script();
        return d;
    }

    /** The first part a resumed run reads that is null in the file (a hand edit, or a writer's bug), if any. */
    private static Optional<String> gap(JournalData d) {
        if (d.runs == null || d.runs.contains(null)) {
            return Optional.of("its list of runs");
        }
        if (d.steps == null || d.preserved == null) {
            return Optional.of(d.steps == null ? "its list of steps" : "its list of preserved files");
        }
        for (Map.Entry<String, StepRecord> e : d.steps.entrySet()) {
            StepRecord r = e.getValue();
            if (r == null || r.status == null) {
                return Optional.of("the status of step " + e.getKey());
            }
            if (r.inputs == null || r.outputs == null || r.facts == null) {
                return Optional.of("a part of step " + e.getKey() + " (its inputs, outputs or facts)");
            }
        }
        return Optional.empty();
    }

    public Path file() {
        return file;
    }

    /** Where {@link #open} moved a journal it could not resume ({@code restart}), if it did. */
    public Optional<Path> setAside() {
        return Optional.ofNullable(setAside);
    }

    /**
     * This pipeline's dry-run journals in the same state dir that still keep original files: dry
     * runs killed before they could put back what they changed. Read under the state dir's lock,
     * which this journal holds; one that cannot be read is left alone (its own run reports it).
     */
    public List<JournalData> crashedDryRuns() throws IOException {
        Path pipelineDir = file.getParent().getParent();
        List<JournalData> crashed = new java.util.ArrayList<>();
        try (var dirs = Files.list(pipelineDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().endsWith("-dry-run")).sorted().toList()) {
                Path other = dir.resolve("journal.json");
                if (other.equals(file) || !Files.isRegularFile(other)) {
                    continue;
                }
                try {
                    JournalData d = JSON.readValue(other.toFile(), JournalData.class);
                    if (d != null && d.dryRun && gap(d).isEmpty() && !d.preserved.isEmpty()) {
                        crashed.add(d);
                    }
                } catch (IOException unreadable) {
                    // not this run's to judge
                }
            }
        }
        return crashed;
    }

    /** After a crashed dry run's files were put back: its journal forgets the copies. */
    public void forgetPreserved(JournalData dryRun) throws IOException {
        Path other = directory(file.getParent().getParent().getParent(), dryRun.pipeline, dryRun.version, true).resolve("journal.json");
        dryRun.preserved.clear();
        dryRun.stepCount = dryRun.steps.size();
        writeAtomically(other, JSON.writeValueAsBytes(dryRun));
    }

    /**
     * Moves the journal aside, to {@code journal-abandoned-<UTC time>.json} beside it, where it is
     * kept for audit; the next run of this release starts afresh.
     */
    public synchronized Path retireAsAbandoned() throws IOException {
        Path to = file.resolveSibling("journal-abandoned-" + ASIDE.format(Instant.now()) + ".json");
        Files.move(file, to);
        return to;
    }

    /** Reads the journal under its lock. */
    public synchronized <T> T read(Function<JournalData, T> reader) {
        return reader.apply(data);
    }

    /**
     * Applies a change and writes the journal durably before returning.
     *
     * @throws JournalWriteException if it cannot be written; the file keeps the state before the change
     */
    public synchronized void update(Consumer<JournalData> change) {
        change.accept(data);
        data.stepCount = data.steps.size();
        try {
            writeAtomically(file, JSON.writeValueAsBytes(data));
        } catch (IOException e) {
            throw new JournalWriteException(file, e);
        }
    }

    /** Convenience for changing one step's record. */
    public void updateStep(String stepId, Consumer<StepRecord> change) {
        update(d -> change.accept(d.steps.computeIfAbsent(stepId, k -> new StepRecord())));
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.getParent();
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some filesystems refuse to open a directory for fsync; the rename is still atomic there.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (lock.isValid()) {
            lock.release();
        }
        lockChannel.close();
    }
}
