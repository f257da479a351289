package dev.tally.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The API keys the gateway accepts, by the SHA-256 of their secret ({@link Secrets}): the ones given in
 * configuration, and the ones of a key file, which is read again when it changes ({@link WatchedFile}), so
 * keys are added, rotated and revoked without a restart.
 */
public final class ApiKeys {

    private final Map<String, ApiKey> configured;
    private final WatchedFile<Map<String, ApiKey>> file;

    private ApiKeys(Map<String, ApiKey> configured, WatchedFile<Map<String, ApiKey>> file) {
        this.configured = configured;
        this.file = file;
    }

    /**
     * @param configured keys given inline (already parsed)
     * @param file       a key file to follow, or null
     * @throws IllegalArgumentException when the file cannot be read, a line is not a key, or two keys share a
     *                                  name: a gateway does not start on keys it cannot read
     */
    public static ApiKeys of(List<ApiKey> configured, Path file, Duration recheck, LongSupplier nanoClock) {
        Map<String, ApiKey> inline = index(configured);
        WatchedFile<Map<String, ApiKey>> watched = file == null ? null : WatchedFile.read(file, "API keys",
                text -> index(configured, KeyLines.parse(text.lines().toList(), file.toString())), recheck,
                nanoClock);
        return new ApiKeys(inline, watched);
    }

    public static ApiKeys of(List<ApiKey> configured, Path file) {
        return of(configured, file, Duration.ofSeconds(1), System::nanoTime);
    }

    /** The key whose secret this is, if any. */
    public Optional<ApiKey> find(String secret) {
        return Optional.ofNullable(current().get(Secrets.sha256Hex(secret)));
    }

    public int size() {
        return current().size();
    }

    private Map<String, ApiKey> current() {
        return file == null ? configured : file.current();
    }

    /**
     * Every key by its hash: the file's keys are indexed with the inline ones, so a name given in both fails the
     * read.
     *
     * @throws IllegalArgumentException when a name is given twice (inline and in the file): logs must name one key
     */
    private static Map<String, ApiKey> index(List<ApiKey> configured, List<ApiKey> fromFile) {
        List<ApiKey> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        return index(all);
    }

    private static Map<String, ApiKey> index(List<ApiKey> keys) {
        Map<String, ApiKey> index = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (ApiKey key : keys) {
            if (!names.add(key.name()) || index.put(key.sha256Hex(), key) != null) {
                throw new IllegalArgumentException("key '" + key.name() + "' or its hash is given twice (auth.keys"
                        + " and the key file)");
            }
        }
        return Map.copyOf(index);
    }
}
