package dev.tally.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Resolves a deployable's settings from its sources, later ones winning: the declared defaults (in the
 * {@link ConfigDef}), an optional properties file, {@code TALLY_*} environment variables, then explicit
 * overrides (command-line options). Kafka's {@link ConfigDef} does the typing, validation and the error
 * that names the key; this class only gathers the raw values.
 *
 * <p>Environment names are derived from declared keys only ({@code http.port} is {@code TALLY_HTTP_PORT}),
 * so no variable is ever guessed at. Client settings for Kafka ({@code kafka.*}, e.g.
 * {@code kafka.security.protocol}) come from the file or overrides and pass through to every client.
 */
public final class ConfigSources {

    public static final String ENV_PREFIX = "TALLY_";
    public static final String KAFKA_PASSTHROUGH_PREFIX = "kafka.";

    private ConfigSources() {
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Map<String, Object> resolve(ConfigDef definition, Path file, Map<String, String> env,
                                              Map<String, ?> overrides) {
        Map<String, Object> raw = new HashMap<>();
        if (file != null) {
            raw.putAll(readFile(file));
        }
        for (String key : definition.names()) {
            String value = env.get(envName(key));
            if (value != null) {
                raw.put(key, value);
            }
        }
        overrides.forEach((key, value) -> {
            if (value != null) {
                raw.put(key, value);
            }
        });
        return raw;
    }

    /** The {@code kafka.*} settings with the prefix removed, for the Kafka clients. */
    public static Map<String, Object> kafkaPassthrough(Map<String, ?> raw) {
        Map<String, Object> client = new HashMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PASSTHROUGH_PREFIX)) {
                client.put(key.substring(KAFKA_PASSTHROUGH_PREFIX.length()), value);
            }
        });
        return client;
    }

    /**
     * A Kafka client's settings: the {@code kafka.*} pass-through of {@code raw}, and the bootstrap servers
     * over it. A new, mutable map.
     */
    public static Map<String, Object> clientSettings(Map<String, ?> raw, String bootstrapServers) {
        Map<String, Object> settings = kafkaPassthrough(raw);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    /** The settings of a properties file, values trimmed. */
    public static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
