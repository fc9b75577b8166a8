package io.slipway.runner.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The durable record of one release (pipeline + version): {@code <state-dir>/<pipeline>/<version>/journal.json}.
 *
 * <p>Every change goes through {@link #update}, which applies it and writes the whole file
 * atomically (temp file, fsync, rename, fsync of the directory), so a crash at any instant leaves
 * either the old or the new journal, never a torn one. A lock file held for the journal's lifetime
 * keeps a second runner off the same release; the operating system releases it when the process
 * dies, even by {@code kill -9}.
 */
public final class Journal implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalData data;

    private Journal(Path file, FileChannel lockChannel, FileLock lock, JournalData data) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.data = data;
    }

    /** The directory of one release's journal, log-independent. */
    public static Path directory(Path stateDir, String pipeline, String version, boolean dryRun) {
        return stateDir.resolve(pipeline).resolve(dryRun ? version + "-dry-run" : version);
    }

    /**
     * Opens (or creates) the journal in {@code dir} and takes its lock.
     *
     * @throws JournalLockedException if another runner holds the lock
     * @throws JournalCorruptException if the file exists but cannot be read as a journal
     */
    public static Journal open(Path dir, String pipeline, String version, boolean dryRun) throws IOException {
        Files.createDirectories(dir);
        ignoreInGit(dir.getParent().getParent());
        Path lockFile = dir.resolve("journal.lock");
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
            throw new JournalLockedException(pipeline, version, holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
        Path file = dir.resolve("journal.json");
        JournalData data;
        try {
            data = Files.exists(file) ? read(file) : fresh(pipeline, version, dryRun);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new Journal(file, channel, lock, data);
    }

    /**
     * The state dir usually sits inside the repository being released; a {@code .gitignore} of
     * {@code *} keeps the journal out of git status, so a clean-tree check does not trip over it.
     */
    private static void ignoreInGit(Path stateDir) throws IOException {
        Path ignore = stateDir.resolve(".gitignore");
        if (!Files.exists(ignore)) {
            Files.writeString(ignore, "# Slipway's journals and logs\n*\n");
        }
    }

    private static JournalData fresh(String pipeline, String version, boolean dryRun) {
        JournalData d = new JournalData();
        d.pipeline = pipeline;
        d.version = version;
        d.dryRun = dryRun;
        return d;
    }

    static JournalData read(Path file) throws IOException {
        JournalData d;
        try {
            d = JSON.readValue(file.toFile(), JournalData.class);
        } catch (IOException e) {
            throw new JournalCorruptException(file, e.getMessage());
        }
        if (d.format != JournalData.FORMAT) {
            throw new JournalCorruptException(file, "format " + d.format + ", this runner reads format " + JournalData.FORMAT);
        }
        if (d.stepCount != d.steps.size()) {
            throw new JournalCorruptException(file, "it lists " + d.steps.size() + " steps but records " + d.stepCount);
        }
        return d;
    }

    public Path file() {
        return file;
    }

    /** Reads the journal under its lock. */
    public synchronized <T> T read(Function<JournalData, T> reader) {
        return reader.apply(data);
    }

    /** Applies a change and writes the journal durably before returning. */
    public synchronized void update(Consumer<JournalData> change) {
        change.accept(data);
        data.stepCount = data.steps.size();
        try {
            writeAtomically(file, JSON.writeValueAsBytes(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
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
