package dev.tally.contract;

import dev.tally.schemas.claims.ClaimScopes;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings every deployable shares, declared once: where Kafka is and how topics are named. */
public final class CommonSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String PARTITIONS = "topic.partitions";
    public static final String REPLIES_PARTITIONS = "topic.replies.partitions";
    public static final String REPLICATION_FACTOR = "topic.replication.factor";
    public static final String CLAIM_SCOPES = "claims.scopes";

    /** The scopes {@code bin/tally dev} and the README's examples use; a deployment names its own. */
    public static final String DEFAULT_CLAIM_SCOPES = "tenant-slug=slug,customer-phone=phone,customer-email=email";

    private CommonSettings() {
    }

    private static void validateClaimScopes(String name, Object value) {
        try {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            ClaimScopes.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    /** A definition holding the shared keys, to which a deployable adds its own. */
    public static ConfigDef define() {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.LIST, "localhost:9092", Importance.HIGH,
                        "Kafka bootstrap servers, comma separated.")
                .define(TOPIC_PREFIX, Type.STRING, TopicNames.DEFAULT_PREFIX, Importance.MEDIUM,
                        "Prefix of every topic name. The engine's application id (engine.application.id) is set apart.")
                .define(PARTITIONS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "Partitions of request and decision topics created at start. Existing topics are kept;"
                                + " all keyed topics must have the same count.")
                .define(REPLIES_PARTITIONS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Partitions of the replies and dead-letter topics created at start. Needs at least one"
                                + " per gateway instance.")
                .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "Replication factor of topics created at start (3 in production).")
                .define(CLAIM_SCOPES, Type.LIST, DEFAULT_CLAIM_SCOPES, CommonSettings::validateClaimScopes,
                        Importance.MEDIUM,
                        "Claim scopes and how each normalises its values, as scope=normaliser, comma separated."
                                + " Normalisers: slug, phone, email, exact. The engine and every gateway must agree:"
                                + " changing a scope's normaliser re-keys its values.");
    }
}
