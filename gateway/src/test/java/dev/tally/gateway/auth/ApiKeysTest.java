package dev.tally.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grants, the key file's lines, and keys rotated in the file without a restart. */
class ApiKeysTest {

    @TempDir
    Path dir;

    private static String line(String name, String secret, String grants) {
        return name + " sha256:" + Secrets.sha256Hex(secret) + " " + grants;
    }

    @Test
    void aGrantCoversItsKindAndIdOrEveryIdWithItsPrefixAndManagesOnlyWhenItSaysSo() {
        Caller key = new Caller("billing", List.of(Grant.parse("workspace:acme"),
                Grant.parse("resource:room-*:manage"), Grant.parse("claims:tenant-slug")));

        assertThat(key.reach(Grant.Kind.WORKSPACE, "acme", false)).isEqualTo(Caller.Reach.ALLOWED);
        assertThat(key.reach(Grant.Kind.WORKSPACE, "acme", true)).isEqualTo(Caller.Reach.NOT_MANAGER);
        assertThat(key.reach(Grant.Kind.WORKSPACE, "acme-2", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(key.reach(Grant.Kind.RESOURCE, "room-12", true)).isEqualTo(Caller.Reach.ALLOWED);
        assertThat(key.reach(Grant.Kind.RESOURCE, "desk-1", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(key.reach(Grant.Kind.CLAIMS, "tenant-slug", false)).isEqualTo(Caller.Reach.ALLOWED);
        // A workspace grant says nothing of a claim scope or resource of the same name
        assertThat(key.reach(Grant.Kind.CLAIMS, "acme", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(new Caller("root", List.of(Grant.ADMIN)).reach(Grant.Kind.RESOURCE, "x", true))
                .isEqualTo(Caller.Reach.ALLOWED);
    }

    @Test
    void aGrantThatIsNoneOfTheFormsIsRefused() {
        for (String bad : List.of("root", "workspace", "workspace:", "workspace::manage", "resource:a*b:manage",
                "claims:x:manage", "claims:x:y/v", "room:1", "resource:*a", "resource:a*b")) {
            assertThatThrownBy(() -> Grant.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a grant");
        }
        assertThat(Grant.parse("resource:*").covers(Grant.Kind.RESOURCE, "anything")).isTrue();
        assertThat(Grant.parse("workspace:acme:manage")).hasToString("workspace:acme:manage");
    }

    @Test
    void anIdMayHoldColonsAndOnlyATrailingManageIsTheRightToManage() {
        Caller key = new Caller("org-app", List.of(Grant.parse("workspace:org:42"), Grant.parse("resource:site:a:*")));
        Caller manager = new Caller("org-admin", List.of(Grant.parse("workspace:org:42:manage")));

        assertThat(key.reach(Grant.Kind.WORKSPACE, "org:42", false)).isEqualTo(Caller.Reach.ALLOWED);
        assertThat(key.reach(Grant.Kind.WORKSPACE, "org:42", true)).isEqualTo(Caller.Reach.NOT_MANAGER);
        assertThat(key.reach(Grant.Kind.WORKSPACE, "org:43", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(key.reach(Grant.Kind.WORKSPACE, "org", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(manager.reach(Grant.Kind.WORKSPACE, "org:42", true)).isEqualTo(Caller.Reach.ALLOWED);
        assertThat(manager.reach(Grant.Kind.WORKSPACE, "org:43", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(key.reach(Grant.Kind.RESOURCE, "site:a:room-1", false)).isEqualTo(Caller.Reach.ALLOWED);
        assertThat(key.reach(Grant.Kind.RESOURCE, "site:b:room-1", false)).isEqualTo(Caller.Reach.UNKNOWN);
        assertThat(Grant.parse("workspace:org:42:manage")).isEqualTo(new Grant(Grant.Kind.WORKSPACE, "org:42", true,
                null)).hasToString("workspace:org:42:manage");
        assertThat(Grant.parse("resource:site:*:manage")).isEqualTo(new Grant(Grant.Kind.RESOURCE, "site:*", true,
                null));
        // The documented ambiguity: a trailing ':manage' is always the right, never the end of the id
        assertThat(Grant.parse("workspace:org:manage")).isEqualTo(new Grant(Grant.Kind.WORKSPACE, "org", true, null));
        assertThat(Grant.parse("workspace:org:manage:manage"))
                .isEqualTo(new Grant(Grant.Kind.WORKSPACE, "org:manage", true, null));
    }

    @Test
    void aKeyLineNamesItsLineWhenItIsWrong() {
        String good = line("a", "s1", "admin");
        assertThat(KeyLines.parse(List.of("# keys", "", good), "f")).singleElement()
                .satisfies(key -> assertThat(key.name()).isEqualTo("a"));
        assertThatThrownBy(() -> KeyLines.parse(List.of(good, "b sha256:abc admin"), "f"))
                .hasMessageStartingWith("f line 2: expected");
        assertThatThrownBy(() -> KeyLines.parse(List.of("b sha256:" + Secrets.sha256Hex("s") + " owner"), "f"))
                .hasMessageContaining("f line 1: 'owner' is not a grant");
        assertThatThrownBy(() -> KeyLines.parse(List.of(good, line("a", "s2", "admin")), "f"))
                .hasMessageContaining("listed twice");
        // A token's caller is jwt:<sub>: a key of that name would share its logs and its rate
        assertThatThrownBy(() -> KeyLines.parse(List.of(line("jwt:alice", "s3", "admin")), "f"))
                .hasMessageContaining("f line 1: a key's name may not start with 'jwt:'");
    }

    @Test
    void theFileIsReadAgainWhenItChangesSoAKeyIsRotatedWithoutARestart() throws Exception {
        Path file = dir.resolve("keys");
        Files.write(file, List.of(line("billing", "old-secret", "workspace:acme")));
        AtomicLong nanos = new AtomicLong();
        ApiKeys keys = ApiKeys.of(List.of(), file, Duration.ofSeconds(1), nanos::get);
        assertThat(keys.find("old-secret")).isPresent();

        // When the file is rewritten with a new secret for the key
        Files.write(file, List.of(line("billing", "new-secret", "workspace:acme")));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        // Then the change is not looked for before a second has passed, and is seen after it
        assertThat(keys.find("new-secret")).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(keys.find("new-secret")).get().extracting(ApiKey::name).isEqualTo("billing");
        assertThat(keys.find("old-secret")).isEmpty();
    }

    @Test
    void aFileThatNoLongerReadsKeepsTheKeysItHadButOneThatNeverReadStopsTheStart() throws Exception {
        Path file = dir.resolve("keys");
        Files.write(file, List.of(line("billing", "secret", "workspace:acme")));
        AtomicLong nanos = new AtomicLong();
        ApiKey inline = new ApiKey("inline", Secrets.sha256Hex("inline-secret"), List.of(Grant.ADMIN));
        ApiKeys keys = ApiKeys.of(List.of(inline), file, Duration.ZERO, nanos::get);

        Files.write(file, List.of("billing sha256:not-hex workspace:acme"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(keys.find("secret")).isPresent();
        assertThat(keys.find("inline-secret")).isPresent();
        assertThat(keys.size()).isEqualTo(2);
        assertThatThrownBy(() -> ApiKeys.of(List.of(), file)).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ApiKeys.of(List.of(), dir.resolve("missing"))).hasMessageContaining("cannot read");
        // And the file is still followed: once it reads again, its keys replace the ones kept (so the kept
        // keys above were kept, not merely never looked for again)
        Files.write(file, List.of(line("billing", "next-secret", "workspace:acme")));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(keys.find("next-secret")).isPresent();
        assertThat(keys.find("secret")).isEmpty();
    }

    @Test
    void newSecretsAreLongRandomAndMarked() {
        String one = Secrets.newSecret();
        assertThat(one).startsWith(Secrets.PREFIX).hasSize(Secrets.PREFIX.length() + 43);
        assertThat(Secrets.newSecret()).isNotEqualTo(one);
        assertThat(Secrets.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aNameGivenInlineAndInTheFileStopsTheStart() throws Exception {
        Path file = dir.resolve("keys");
        Files.write(file, List.of(line("billing", "secret", "workspace:acme")));
        ApiKey inline = new ApiKey("billing", Secrets.sha256Hex("other"), List.of(Grant.ADMIN));

        assertThatThrownBy(() -> ApiKeys.of(List.of(inline), file)).hasMessageContaining("'billing'")
                .hasMessageContaining("given twice");
    }

    @Test
    void claimGrantsNarrowASharedScopeToSomeValues() {
        Grant company = Grant.parse("claims:customer-phone/co_1:*");

        assertThat(company.covers(Grant.Kind.CLAIMS, "customer-phone")).isTrue();
        assertThat(company.coversClaim("customer-phone", "co_1:+14155550100")).isTrue();
        assertThat(company.coversClaim("customer-phone", "co_12:+14155550100")).isFalse();
        assertThat(company.coversClaim("customer-email", "co_1:a@b.c")).isFalse();
        assertThat(Grant.parse("claims:tenant-slug").coversClaim("tenant-slug", "anything")).isTrue();
        assertThat(company).hasToString("claims:customer-phone/co_1:*");
        assertThatThrownBy(() -> Grant.parse("claims:customer-phone/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyIdleForDaysGetsAFullBucketNotAnOverflowedOne() {
        AtomicLong nanos = new AtomicLong();
        CallRates rates = new CallRates(1_000_000, nanos::get);
        assertThat(rates.take("k")).isZero();

        // Ten days at a million calls a second would overflow a product of elapsed nanoseconds and rate
        nanos.addAndGet(Duration.ofDays(10).toNanos());

        for (int i = 0; i < 1_000_000; i++) {
            assertThat(rates.take("k")).isZero();
        }
        assertThat(rates.take("k")).isEqualTo(1);
    }

    @Test
    void bucketsOfCallersIdleForASecondAreDroppedAtMostOnceASecondAndRecentOnesKept() {
        AtomicLong nanos = new AtomicLong();
        CallRates rates = new CallRates(2, nanos::get);
        for (int subject = 0; subject < 10_000; subject++) {
            rates.take("jwt:user-" + subject);
        }
        assertThat(rates.tracked()).isEqualTo(10_000);

        // 0.9 s on: two callers call; nothing is swept before a second has passed
        nanos.addAndGet(Duration.ofMillis(900).toNanos());
        rates.take("busy");
        rates.take("recent");
        assertThat(rates.tracked()).isEqualTo(10_002);

        // 1.5 s on: the ten thousand idle for 1.5 s go; "recent", idle 0.6 s, stays
        nanos.addAndGet(Duration.ofMillis(600).toNanos());
        rates.take("busy");

        assertThat(rates.tracked()).isEqualTo(2);
    }
}
