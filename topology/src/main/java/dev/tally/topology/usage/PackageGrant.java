package dev.tally.topology.usage;

import dev.tally.schemas.usage.FeatureGrant;

/** What one active package grants one feature, as kept in that feature's account. */
public record PackageGrant(String packageCode, boolean base, FeatureGrant grant) {
}
