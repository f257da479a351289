package dev.tally.launcher.testing;

import dev.tally.launcher.Tally;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code tally} run in this JVM, with what it wrote to stderr: an exit code alone cannot tell one usage
 * error from another (picocli answers 2 to an unknown option too).
 */
public record CliRun(int code, String err) {

    public static synchronized CliRun of(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Tally.run(args);
            return new CliRun(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
