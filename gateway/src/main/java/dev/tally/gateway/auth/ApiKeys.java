package dev.tally.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys the gateway accepts, by the SHA-256 of their secret: the ones given in configuration, and
 * the ones of a key file, which is read again when it changes (checked at most once per {@code recheck}),
 * so keys are added, rotated and revoked without a restart. A file that no longer reads keeps the keys it
 * had, with an error in the log: a typo must not lock every caller out.
 *
 * <p>SHA-256 and not a slow password hash: the secrets are 256 random bits made by {@link #newSecret()},
 * which no dictionary holds, and each call hashes one.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How every secret {@link #newSecret()} makes starts, so a leaked one is easy to grep for. */
    public static final String SECRET_PREFIX = "tally_";

    private final List<ApiKey> configured;
    private final Path file;
    private final long recheckNanos;
    private final LongSupplier nanoClock;
    private volatile Map<String, ApiKey> byHash;
    private long lastCheckNanos;
    /** What the file was when last read: a change to any of them reads it again. */
    private FileVersion fileRead;

    private ApiKeys(List<ApiKey> configured, Path file, Duration recheck, LongSupplier nanoClock) {
        this.configured = List.copyOf(configured);
        this.file = file;
        this.recheckNanos = recheck.toNanos();
        this.nanoClock = nanoClock;
        this.lastCheckNanos = nanoClock.getAsLong();
    }

    /**
     * @param configured keys given inline (already parsed)
     * @param file       a key file to follow, or null
     * @throws IllegalArgumentException when the file cannot be read or a line is not a key: a gateway does
     *                                  not start on keys it cannot read
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
        if (file != null) {
            recheckFile();
        }
        return Optional.ofNullable(byHash.get(sha256Hex(secret)));
    }

    public int size() {
        return byHash.size();
    }

    /** A new secret: {@value #SECRET_PREFIX} and 256 random bits, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private synchronized void recheckFile() {
        long now = nanoClock.getAsLong();
        if (now - lastCheckNanos < recheckNanos) {
            return;
        }
        lastCheckNanos = now;
        try {
            if (FileVersion.of(file).equals(fileRead)) {
                return;
            }
            byHash = index(readFile());
            log.info("API keys read again from {}: {} key(s)", file, byHash.size());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            log.error("API key file {} could not be read again; the {} key(s) read before stay: {}", file,
                    byHash.size(), e.getMessage());
        }
    }

    private List<ApiKey> readFile() {
        try {
            // Stat before reading: a change made while reading is then seen at the next check.
            FileVersion version = FileVersion.of(file);
            List<ApiKey> keys = KeyLines.parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
            fileRead = version;
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

    private Map<String, ApiKey> index(List<ApiKey> fromFile) {
        List<ApiKey> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        Map<String, ApiKey> index = new HashMap<>();
        for (ApiKey key : all) {
            index.put(key.sha256Hex(), key);
        }
        return Map.copyOf(index);
    }
}
