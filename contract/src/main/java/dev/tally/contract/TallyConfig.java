package dev.tally.contract;

import dev.tally.schemas.claims.ClaimScopes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * What every deployable's configuration shares: the settings of {@link CommonSettings} and the
 * {@code kafka.*} pass-through to its Kafka clients. Values are checked against the definition when the
 * configuration is built, so a bad value fails start naming its key.
 */
public abstract class TallyConfig extends AbstractConfig {

    private final Map<String, Object> raw;

    protected TallyConfig(ConfigDef definition, Map<String, ?> raw) {
        super(definition, raw, false);
        this.raw = Map.copyOf(raw);
    }

    public TopicNames topicNames() {
        return new TopicNames(getString(CommonSettings.TOPIC_PREFIX));
    }

    public String bootstrapServers() {
        List<String> servers = getList(CommonSettings.BOOTSTRAP_SERVERS);
        return String.join(",", servers);
    }

    /** The claim scopes and their normalisers; validated when the configuration was built. */
    public ClaimScopes claimScopes() {
        return ClaimScopes.parse(getList(CommonSettings.CLAIM_SCOPES));
    }

    /** Settings for the Kafka clients ({@code kafka.*}, prefix removed): security and the like. */
    public Map<String, Object> kafkaClientSettings() {
        return ConfigSources.kafkaPassthrough(raw);
    }

    /** An admin client's settings: the pass-through, and the bootstrap servers over it. A new, mutable map. */
    public Map<String, Object> adminClientSettings() {
        return ConfigSources.clientSettings(raw, bootstrapServers());
    }
}
