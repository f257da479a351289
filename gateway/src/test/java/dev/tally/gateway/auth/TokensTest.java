package dev.tally.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    private final TestTokens issuer = new TestTokens("k1");

    @TempDir
    Path dir;

    private Tokens tokens() {
        return Tokens.of(TestTokens.settings(issuer.writeJwkSet(dir.resolve("jwks.json"))));
    }

    @Test
    void aValidTokenIsTheCallerItsSubjectNamesWithTheGrantsOfItsClaimAsAStringOrAnArray() {
        Tokens tokens = tokens();

        Caller fromString = tokens.verify(issuer.token("billing", "workspace:acme:manage claims:tenant-slug"));
        Caller fromArray = tokens.verify(issuer.sign(TestTokens.claims("billing", null)
                .claim("scope", List.of("workspace:acme:manage", "claims:tenant-slug")).build()));

        for (Caller caller : List.of(fromString, fromArray)) {
            assertThat(caller.name()).isEqualTo("jwt:billing");
            assertThat(caller.grants()).containsExactly(Grant.parse("workspace:acme:manage"),
                    Grant.parse("claims:tenant-slug"));
        }
    }

    @Test
    void anExpiredTokenIsRefusedPastTheClockSkewOnly() {
        Tokens tokens = tokens();

        assertThatThrownBy(() -> tokens.verify(issuer.expired("billing", "workspace:acme", Duration.ofMinutes(2))))
                .isInstanceOf(Tokens.InvalidToken.class).hasMessageContaining("Expired");
        // 30 s of skew allowed: expired 5 s ago on this clock may be valid on the issuer's
        assertThat(tokens.verify(issuer.expired("billing", "workspace:acme", Duration.ofSeconds(5))).name())
                .isEqualTo("jwt:billing");
    }

    @Test
    void aTokenForAnotherIssuerOrAudienceOrNotYetValidOrWithoutSubjectOrGrantsIsRefused() {
        Tokens tokens = tokens();
        Instant later = Instant.now().plus(Duration.ofMinutes(2));
        List<JWTClaimsSet> wrong = List.of(
                TestTokens.claims("billing", "workspace:acme").issuer("https://evil.example.test").build(),
                TestTokens.claims("billing", "workspace:acme").audience("someone-else").build(),
                TestTokens.claims("billing", "workspace:acme").notBeforeTime(Date.from(later)).build(),
                TestTokens.claims(null, "workspace:acme").build(),
                TestTokens.claims("billing", null).build(),
                TestTokens.claims("billing", "workspace:acme").expirationTime(null).build(),
                TestTokens.claims(" ", "workspace:acme").build(),
                TestTokens.claims("billing", "workspace:acme root").build());

        for (JWTClaimsSet claims : wrong) {
            assertThatThrownBy(() -> tokens.verify(issuer.sign(claims))).as(claims.toString())
                    .isInstanceOf(Tokens.InvalidToken.class);
        }
        // Present but null: Nimbus counts a null claim as present, and checks expiry only when it is set
        long expiry = Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond();
        String nullExpiry = issuer.signJson("{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":\"billing\",\"scope\":\"admin\",\"exp\":null}");
        String nullSubject = issuer.signJson("{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":null,\"scope\":\"admin\",\"exp\":" + expiry + "}");
        assertThatThrownBy(() -> tokens.verify(nullExpiry)).hasMessageContaining("exp must be a time");
        assertThatThrownBy(() -> tokens.verify(nullSubject)).hasMessageContaining("sub must name the caller");
        assertThatThrownBy(() -> tokens.verify(issuer.sign(TestTokens.claims("billing", "workspace:acme root")
                .build()))).hasMessageContaining("claim 'scope'").hasMessageContaining("'root' is not a grant");
    }

    @Test
    void onlyTheConfiguredAlgorithmAndKeysAreAccepted() throws Exception {
        Tokens tokens = tokens();
        JWTClaimsSet claims = TestTokens.claims("billing", "admin").build();
        // The classic confusion: the public key's bytes used as an HMAC secret
        byte[] publicBytes = issuer.key().toPublicKey().getEncoded();
        String hmacWithPublicKey = issuer.sign(claims, JWSAlgorithm.HS256, new MACSigner(publicBytes));
        String unsigned = new PlainJWT(claims).serialize();
        String otherAlgorithm = issuer.sign(claims, JWSAlgorithm.RS512, new RSASSASigner(issuer.key()));
        TestTokens stranger = new TestTokens("k1");
        String otherKey = stranger.sign(claims);

        for (String token : List.of(hmacWithPublicKey, unsigned, otherAlgorithm, otherKey, "a.b.c")) {
            assertThatThrownBy(() -> tokens.verify(token)).as(token).isInstanceOf(Tokens.InvalidToken.class);
        }
        assertThat(tokens.verify(issuer.sign(claims)).grants()).containsExactly(Grant.ADMIN);
    }

    @Test
    void anAccessTokenTypedAtJwtIsAcceptedAndAnotherTypeIsNot() {
        Tokens tokens = tokens();
        JWTClaimsSet claims = TestTokens.claims("billing", "workspace:acme").build();

        String accessToken = issuer.sign(claims, new com.nimbusds.jose.JOSEObjectType("at+jwt"));
        String idToken = issuer.sign(claims, new com.nimbusds.jose.JOSEObjectType("secevent+jwt"));

        assertThat(tokens.verify(accessToken).name()).isEqualTo("jwt:billing");
        assertThatThrownBy(() -> tokens.verify(idToken)).isInstanceOf(Tokens.InvalidToken.class);
    }

    @Test
    void theGrantsMayBeInAClaimTheVerifierAlsoRequires() {
        Path file = issuer.writeJwkSet(dir.resolve("jwks.json"));
        Tokens tokens = Tokens.of(new TokenSettings(TestTokens.ISSUER, TestTokens.AUDIENCE, JWSAlgorithm.RS256, file,
                "sub", Duration.ofSeconds(30)));

        assertThat(tokens.verify(issuer.token("workspace:acme", null)).grants())
                .containsExactly(Grant.parse("workspace:acme"));
    }

    @Test
    void aPemPublicKeyServesAsWellAsAJwkSet() {
        Tokens tokens = Tokens.of(TestTokens.settings(issuer.writePem(dir.resolve("issuer.pem"))));

        assertThat(tokens.verify(issuer.token("billing", "workspace:acme")).name()).isEqualTo("jwt:billing");
    }

    @Test
    void anHmacSecretMustBeAsLongAsItsHashAndThenSignsAndVerifies() throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short"), "too-short");
        String secret = "0123456789abcdef0123456789abcdef";
        Path goodSecret = Files.writeString(dir.resolve("good"), secret + "\n");
        TokenSettings hs256 = new TokenSettings(TestTokens.ISSUER, TestTokens.AUDIENCE, JWSAlgorithm.HS256,
                shortSecret, "scope", Duration.ofSeconds(30));

        assertThatThrownBy(() -> Tokens.of(hs256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
        Tokens tokens = Tokens.of(new TokenSettings(TestTokens.ISSUER, TestTokens.AUDIENCE, JWSAlgorithm.HS256,
                goodSecret, "scope", Duration.ofSeconds(30)));
        String token = issuer.sign(TestTokens.claims("billing", "workspace:acme").build(), JWSAlgorithm.HS256,
                new MACSigner(secret.getBytes()));
        assertThat(tokens.verify(token).name()).isEqualTo("jwt:billing");
    }

    @Test
    void aNewKeyInTheFileIsTakenWithoutARestartAndTheDroppedOneIsRefused() throws Exception {
        AtomicLong clock = new AtomicLong();
        Path file = issuer.writeJwkSet(dir.resolve("jwks.json"));
        Tokens tokens = Tokens.of(TestTokens.settings(file), Duration.ofSeconds(1), clock::get);
        TestTokens next = new TestTokens("k2");
        String oldToken = issuer.token("billing", "workspace:acme");
        String newToken = next.token("billing", "workspace:acme");
        assertThat(tokens.verify(oldToken).name()).isEqualTo("jwt:billing");

        Path written = next.writeJwkSet(dir.resolve("jwks.next"));
        Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThatThrownBy(() -> tokens.verify(newToken)).as("not looked at before a second has passed")
                .isInstanceOf(Tokens.InvalidToken.class);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(tokens.verify(newToken).name()).isEqualTo("jwt:billing");
        assertThatThrownBy(() -> tokens.verify(oldToken)).isInstanceOf(Tokens.InvalidToken.class);
    }

    @Test
    void onlyACredentialOfThreeDottedPartsIsTakenForAToken() {
        assertThat(Tokens.looksLikeToken("a.b.c")).isTrue();
        assertThat(Tokens.looksLikeToken("a.b.")).isTrue();
        assertThat(Tokens.looksLikeToken(Secrets.PREFIX + "abc-_")).isFalse();
        assertThat(Tokens.looksLikeToken("a.b")).isFalse();
    }
}
