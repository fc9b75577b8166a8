package io.slipway.plugin.localindex;

import java.lang.reflect.Field;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Two static thread pools inside Artipie's libraries start non-daemon threads that never end (rio's
 * shared IO pool) or linger a minute (the multipart upload pool), so a JVM that used the index
 * cannot exit. Shutting them down would break the next index started in the same JVM, so their
 * threads are made daemon instead, and idle ones end after a second.
 */
final class LeftoverThreads {

    private static volatile boolean done;

    private LeftoverThreads() {
    }

    static synchronized void makeDaemon() {
        if (done) {
            return;
        }
        try {
            Object rio = Class.forName("org.cqfn.rio.IoExecutor").getMethod("shared").invoke(null);
            makeDaemon((ThreadPoolExecutor) field(rio.getClass(), "origin").get(rio));
            Class<?> multiParts = Class.forName("com.artipie.http.rq.multipart.MultiParts");
            makeDaemon((ThreadPoolExecutor) field(multiParts, "CACHED_PEXEC").get(null));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Artipie's thread pools are not where this version of Slipway expects"
                    + " them (org.cqfn.rio.IoExecutor.shared(), MultiParts.CACHED_PEXEC)", e);
        }
        done = true;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static void makeDaemon(ThreadPoolExecutor pool) {
        ThreadFactory original = pool.getThreadFactory();
        pool.setThreadFactory(task -> {
            Thread thread = original.newThread(task);
            thread.setDaemon(true);
            return thread;
        });
        pool.setKeepAliveTime(1, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
    }
}
