package dev.tally.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a started service running until the process is asked to stop (Ctrl-C, SIGTERM), then closes it
 * from a shutdown hook; or until the service reports that it failed, then closes it and returns 1.
 */
final class UntilStopped {

    private static final Logger log = LoggerFactory.getLogger(UntilStopped.class);
    private static final long HEALTH_CHECK_MS = 1_000;

    private UntilStopped() {
    }

    /**
     * @param failure what is wrong with the service right now, or null while it is healthy
     * @return the exit code, when the service failed; on a signal the process exits from the hook
     */
    static int run(String name, AutoCloseable service, Supplier<String> failure) {
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping.set(true);
            log.info("stopping {}", name);
            boolean clean = closeQuietly(name, service);
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // A JVM stopped by a signal exits 128+signal even after a clean stop. The stop was clean (or
            // not), so say so with the exit code instead; the other hooks have nothing left to do.
            Runtime.getRuntime().halt(clean ? Tally.EXIT_OK : Tally.EXIT_FAILED);
        }, "tally-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!stopped.await(HEALTH_CHECK_MS, TimeUnit.MILLISECONDS)) {
                String problem = stopping.get() ? null : failure.get();
                if (problem != null) {
                    log.error("{} failed: {}; stopping", name, problem);
                    Runtime.getRuntime().removeShutdownHook(hook);
                    closeQuietly(name, service);
                    return Tally.EXIT_FAILED;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // removeShutdownHook: the JVM is already shutting down and the hook closes the service.
        }
        // Only reached while the hook runs: it ends the process.
        awaitQuietly(stopped);
        return Tally.EXIT_OK;
    }

    static boolean closeQuietly(String name, AutoCloseable service) {
        try {
            service.close();
            log.info("{} stopped", name);
            return true;
        } catch (Exception e) {
            log.error("{} did not stop cleanly", name, e);
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
