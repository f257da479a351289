package dev.tally.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys the gateway accepts, by the SHA-256 of their secret ({@link Secrets}): the ones given in
 * configuration, and the ones of a key file, which is read again when it changes (looked at most once per
 * {@code recheck}), so keys are added, rotated and revoked without a restart. A file that no longer reads,
 * or that changed while it was read (rewritten in place), keeps the keys read before, with an error in the
 * log: a typo or a half-written file must not lock every caller out, nor cut a grant short.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final List<ApiKey> configured;
    private final Path file;
    private final long recheckNanos;
    private final LongSupplier nanoClock;
    private volatile Map<String, ApiKey> byHash;
    /** Calls before this read no file attribute: the common path takes no lock. */
    private volatile long nextCheckNanos;
    /** What the file was when last read: a change to any of them reads it again. */
    private FileVersion fileRead;

    private ApiKeys(List<ApiKey> configured, Path file, Duration recheck, LongSupplier nanoClock) {
        this.configured = List.copyOf(configured);
        this.file = file;
        this.recheckNanos = recheck.toNanos();
        this.nanoClock = nanoClock;
        this.nextCheckNanos = nanoClock.getAsLong() + recheckNanos;
    }

    /**
     * @param configured keys given inline (already parsed)
     * @param file       a key file to follow, or null
     * @throws IllegalArgumentException when the file cannot be read, a line is not a key, or two keys share a
     *                                  name: a gateway does not start on keys it cannot read
     */
    public static ApiKeys of(List<ApiKey> configured, Path file, Duration recheck, LongSupplier nanoClock) {
        ApiKeys keys = new ApiKeys(configured, file, recheck, nanoClock);
        keys.byHash = keys.index(file == null ? List.of() : keys.readFile());
        return keys;
    }

    public static ApiKeys of(List<ApiKey> configured, Path file) {
        return of(configured, file, Duration.ofSeconds(1), System::nanoTime);
    }

    /** The key whose secret this is, if any. */
    public Optional<ApiKey> find(String secret) {
        if (file != null && nanoClock.getAsLong() - nextCheckNanos >= 0) {
            recheckFile();
        }
        return Optional.ofNullable(byHash.get(Secrets.sha256Hex(secret)));
    }

    public int size() {
        return byHash.size();
    }

    private synchronized void recheckFile() {
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
            byHash = index(readFile());
            log.info("API keys read again from {}: {} key(s)", file, byHash.size());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            log.error("API key file {} could not be read again; the {} key(s) read before stay: {}", file,
                    byHash.size(), e.getMessage());
            if (seen != null) {
                // Not read again, nor logged again, until it changes: a broken file costs one error, not one a second.
                fileRead = seen;
            }
        }
    }

    private List<ApiKey> readFile() {
        try {
            FileVersion before = FileVersion.of(file);
            List<ApiKey> keys = KeyLines.parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
            if (!FileVersion.of(file).equals(before)) {
                throw new IllegalArgumentException("it changed while it was read; it is read again at the next"
                        + " check");
            }
            fileRead = before;
            return keys;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the API key file " + file + ": " + e, e);
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

    /** @throws IllegalArgumentException when a name is given twice (inline and in the file): logs must name one key */
    private Map<String, ApiKey> index(List<ApiKey> fromFile) {
        List<ApiKey> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        Map<String, ApiKey> index = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (ApiKey key : all) {
            if (!names.add(key.name()) || index.put(key.sha256Hex(), key) != null) {
                throw new IllegalArgumentException("key '" + key.name() + "' or its hash is given twice (auth.keys"
                        + " and the key file)");
            }
        }
        return Map.copyOf(index);
    }
}
