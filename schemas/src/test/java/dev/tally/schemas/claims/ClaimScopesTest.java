package dev.tally.schemas.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.FieldError;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ClaimScopesTest {

    private static final ClaimScopes SCOPES = ClaimScopes.parse(
            List.of("tenant-slug=slug", "customer-phone=phone", "customer-email=email", "order=exact"));

    private static String normalise(String scope, String value) {
        return SCOPES.normalise(scope, value, new ArrayList<>());
    }

    private static List<FieldError> errors(String scope, String value) {
        List<FieldError> errors = new ArrayList<>();
        SCOPES.normalise(scope, value, errors);
        return errors;
    }

    @Test
    void slugs_are_case_folded_and_trimmed_so_equivalent_spellings_meet() {
        assertThat(normalise("tenant-slug", "Acme")).isEqualTo("acme");
        assertThat(normalise("tenant-slug", "  ACME ")).isEqualTo("acme");
        assertThat(normalise("tenant-slug", "acme-eu-1")).isEqualTo("acme-eu-1");
    }

    @Test
    void slugs_outside_the_character_set_are_refused_with_the_rule() {
        assertThat(normalise("tenant-slug", "acme_inc")).isNull();
        assertThat(normalise("tenant-slug", "-acme")).isNull();
        assertThat(normalise("tenant-slug", "acme/evil")).isNull();
        assertThat(normalise("tenant-slug", "äcme")).isNull();
        assertThat(normalise("tenant-slug", "a".repeat(64))).isNull();
        assertThat(errors("tenant-slug", "acme inc")).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("value"))
                .satisfies(e -> assertThat(e.reason()).contains("a-z 0-9"));
    }

    @Test
    void phone_numbers_keep_digits_and_a_leading_plus_within_their_company() {
        assertThat(normalise("customer-phone", "co_1:+1 (415) 555-0100")).isEqualTo("co_1:+14155550100");
        assertThat(normalise("customer-phone", "co_1:+1.415.555.0100")).isEqualTo("co_1:+14155550100");
        assertThat(normalise("customer-phone", "co_2:+14155550100")).isEqualTo("co_2:+14155550100");
        assertThat(normalise("customer-phone", "+14155550100")).as("no company").isNull();
        assertThat(normalise("customer-phone", "co_1:1+4155550100")).as("plus inside").isNull();
        assertThat(normalise("customer-phone", "co_1:call me")).isNull();
        assertThat(normalise("customer-phone", "co_1:+1234567890123456")).as("16 digits").isNull();
    }

    @Test
    void emails_are_folded_whole_and_exact_values_keep_their_case() {
        assertThat(normalise("customer-email", " Ann@Example.COM ")).isEqualTo("ann@example.com");
        assertThat(normalise("customer-email", "ann@@example.com")).isNull();
        assertThat(normalise("customer-email", "ann@localhost")).isNull();
        assertThat(normalise("order", "Ord-7")).isEqualTo("Ord-7");
        assertThat(normalise("order", "Ord 7")).isNull();
    }

    @Test
    void text_that_utf8_cannot_carry_or_control_characters_are_refused() {
        assertThat(normalise("customer-email", "a\ud800b@x.com")).as("lone surrogate").isNull();
        assertThat(normalise("customer-email", "a\u0000b@x.com")).as("NUL").isNull();
        assertThat(normalise("customer-email", "\ud83d\ude00@x.com")).as("a whole surrogate pair").isNotNull();
    }

    @Test
    void an_unknown_scope_is_refused_naming_the_configured_ones() {
        assertThat(errors("tenant_slug", "acme")).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("scope");
            assertThat(e.reason()).contains("tenant-slug, customer-phone");
        });
        assertThat(errors(null, "acme")).extracting(FieldError::field).containsExactly("scope");
        assertThat(errors("tenant-slug", null)).extracting(FieldError::field).containsExactly("value");
    }

    @Test
    void a_bad_configuration_names_the_entry_at_fault() {
        assertThatThrownBy(() -> ClaimScopes.parse(List.of("slug"))).hasMessageContaining("scope=normaliser");
        assertThatThrownBy(() -> ClaimScopes.parse(List.of("a/b=slug"))).hasMessageContaining("a/b");
        assertThatThrownBy(() -> ClaimScopes.parse(List.of("x=soundex"))).hasMessageContaining("soundex")
                .hasMessageContaining("slug, phone, email, exact");
        assertThatThrownBy(() -> ClaimScopes.parse(List.of("x=slug", "x=email"))).hasMessageContaining("twice");
    }

    /** The engine normalises what the gateway already normalised: it must get the same key back. */
    @Property
    void every_normaliser_is_idempotent(@ForAll @StringLength(max = 40) String raw) {
        for (String scope : SCOPES.names()) {
            String once = normalise(scope, raw);
            if (once != null) {
                assertThat(normalise(scope, once)).as(scope).isEqualTo(once);
            }
        }
    }

    /** The same on values that look like each scope's, so that most of them normalise. */
    @Property
    void every_normaliser_is_idempotent_on_values_shaped_like_its_own(@ForAll("lookalikes") String raw) {
        every_normaliser_is_idempotent(raw);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> lookalikes() {
        var chars = net.jqwik.api.Arbitraries.strings().withChars("aAbZ09-_.+ ()@:İKσς").ofMaxLength(12);
        return net.jqwik.api.Combinators.combine(chars, chars, net.jqwik.api.Arbitraries.of(":", "@", ".", ""))
                .as((a, b, sep) -> a + sep + b + (sep.equals("@") ? ".com" : ""));
    }

    @Property
    void a_slug_and_its_upper_case_spelling_meet(@ForAll("slugs") String slug) {
        assertThat(normalise("tenant-slug", slug.toUpperCase(java.util.Locale.ROOT))).isEqualTo(slug);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> slugs() {
        return net.jqwik.api.Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofMinLength(1).ofMaxLength(63);
    }
}
