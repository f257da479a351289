package dev.tally.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a file of credentials says, read again when the file changes (looked at most once per
 * {@code recheck}), so keys are added, rotated and revoked without a restart. A file that no longer reads,
 * or that changed while it was read (rewritten in place), keeps what was read before, with an error in the
 * log: a typo or a half-written file must not lock every caller out, nor cut a grant short.
 *
 * @param <T> what the file's text parses to
 */
final class WatchedFile<T> {

    private static final Logger log = LoggerFactory.getLogger(WatchedFile.class);

    private final Path file;
    private final String what;
    private final Function<String, T> parse;
    private final long recheckNanos;
    private final LongSupplier nanoClock;
    private volatile T current;
    /** Calls before this read no file attribute: the common path takes no lock. */
    private volatile long nextCheckNanos;
    /** What the file was when last read (or last failed to read): a change to any of them reads it again. */
    private FileVersion fileRead;

    private WatchedFile(Path file, String what, Function<String, T> parse, Duration recheck, LongSupplier nanoClock) {
        this.file = file;
        this.what = what;
        this.parse = parse;
        this.recheckNanos = recheck.toNanos();
        this.nanoClock = nanoClock;
        this.nextCheckNanos = nanoClock.getAsLong() + recheckNanos;
    }

    /**
     * Reads the file once now.
     *
     * @param what  what the file holds, for the log ("API keys")
     * @param parse the file's text to what it holds; throws IllegalArgumentException saying what is wrong
     * @throws IllegalArgumentException when the file cannot be read or parsed: nothing starts on credentials it
     *                                  cannot read
     */
    static <T> WatchedFile<T> read(Path file, String what, Function<String, T> parse, Duration recheck,
                                   LongSupplier nanoClock) {
        WatchedFile<T> watched = new WatchedFile<>(file, what, parse, recheck, nanoClock);
        watched.current = watched.readFile();
        return watched;
    }

    /** What the file said when it last read well. */
    T current() {
        if (nanoClock.getAsLong() - nextCheckNanos >= 0) {
            recheck();
        }
        return current;
    }

    private synchronized void recheck() {
        long now = nanoClock.getAsLong();
        if (now - nextCheckNanos < 0) {
            return; // another call looked meanwhile
        }
        nextCheckNanos = now + recheckNanos;
        FileVersion seen = null;
        try {
            seen = FileVersion.of(file);
            if (seen.equals(fileRead)) {
                return;
            }
            current = readFile();
            log.info("{} read again from {}", what, file);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            log.error("{} file {} could not be read again; what it said before stays: {}", what, file,
                    e.getMessage());
            if (seen != null) {
                // Not read again, nor logged again, until it changes: a broken file costs one error, not one a second.
                fileRead = seen;
            }
        }
    }

    private T readFile() {
        try {
            FileVersion before = FileVersion.of(file);
            T parsed = parse.apply(Files.readString(file, StandardCharsets.UTF_8));
            if (!FileVersion.of(file).equals(before)) {
                throw new IllegalArgumentException("it changed while it was read; it is read again at the next"
                        + " check");
            }
            fileRead = before;
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": " + e, e);
        }
    }

    /**
     * A file's identity (a file moved into place is another file), modification time and size: what tells
     * that it changed without reading it.
     */
    private record FileVersion(Object fileKey, FileTime modified, long size) {

        static FileVersion of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileVersion(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        }
    }
}
