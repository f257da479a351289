package dev.tally.launcher.bench;

import dev.tally.launcher.broker.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The embedded broker in a JVM of its own, so that a benchmark measures the engine and not the ~100
 * broker threads sharing its heap and JIT. The child prints one line {@code READY <bootstrap>} and stops
 * when its standard input closes, so it never outlives the benchmark.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final String READY = "READY ";
    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    public static BrokerProcess start(Path dataDir, String maxHeap) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx" + maxHeap, "-cp",
                System.getProperty("java.class.path"), BrokerProcess.class.getName(), dataDir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(READY)) {
                return new BrokerProcess(process, line.substring(READY.length()).trim());
            }
        }
        process.destroyForcibly();
        throw new IOException("broker process ended before it was ready, exit " + process.waitFor());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: a broker until standard input closes. */
    public static void main(String[] args) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), 0, 0)) {
            System.out.println(READY + kafka.bootstrapServers());
            System.out.flush();
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // drain until the parent closes the pipe
                    }
                } catch (IOException ignored) {
                    // the parent is gone: stop as well
                }
                stop.countDown();
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
            stop.await();
        }
    }
}
