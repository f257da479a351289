package dev.tally.schemas.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A package's grants must each be one kind, with only that kind's fields. */
class PackageValidationTest {

    private static List<String> faults(FeatureGrant grant) {
        return UsageValidation.validate(new ProvisionPackage("p1", "acme", null, "pro", true,
                Map.of("ai.tokens", grant))).stream().map(FieldError::field).toList();
    }

    @Test
    void each_kind_of_grant_is_valid_on_its_own() {
        assertThat(faults(FeatureGrant.metered(10, Period.DAY, Enforcement.SOFT))).isEmpty();
        assertThat(faults(FeatureGrant.unlimitedPer(Period.HOUR))).isEmpty();
        assertThat(faults(FeatureGrant.flag(false))).isEmpty();
    }

    @Test
    void a_grant_of_two_kinds_or_none_is_refused() {
        assertThat(faults(new FeatureGrant(10L, Period.DAY, null, true, null))).containsExactly("features.ai.tokens");
        assertThat(faults(new FeatureGrant(10L, Period.DAY, null, null, true))).containsExactly("features.ai.tokens");
        assertThat(faults(new FeatureGrant(null, Period.DAY, null, null, null))).containsExactly("features.ai.tokens");
    }

    @Test
    void fields_that_do_not_belong_to_the_kind_are_refused_not_dropped() {
        assertThat(faults(new FeatureGrant(null, Period.DAY, null, null, true))).containsExactly("features.ai.tokens");
        assertThat(faults(new FeatureGrant(null, null, Enforcement.SOFT, true, null)))
                .containsExactly("features.ai.tokens.enforcement");
        assertThat(faults(new FeatureGrant(null, null, null, false, null)))
                .containsExactly("features.ai.tokens.unlimited");
        assertThat(faults(new FeatureGrant(10L, null, null, null, null))).containsExactly("features.ai.tokens.period");
    }

    @Test
    void a_package_needs_features_and_a_code() {
        assertThat(UsageValidation.validate(new ProvisionPackage("p1", "acme", null, null, false, Map.of())))
                .extracting(FieldError::field).containsExactly("packageCode", "features");
    }
}
