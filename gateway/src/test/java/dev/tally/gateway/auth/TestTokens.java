package dev.tally.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * An identity provider for tests: an RSA key pair, its public half written where a gateway reads it, and
 * tokens signed with it.
 */
public final class TestTokens {

    public static final String ISSUER = "https://id.example.test";
    public static final String AUDIENCE = "tally";

    private final RSAKey key;

    public TestTokens(String keyId) {
        try {
            key = new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey key() {
        return key;
    }

    /** The public key as a JWK set, written to {@code file}. */
    public Path writeJwkSet(Path file) {
        return write(file, new JWKSet(key.toPublicJWK()).toString());
    }

    /** The public key as PEM ({@code BEGIN PUBLIC KEY}), written to {@code file}. */
    public Path writePem(Path file) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded());
            return write(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TokenSettings settings(Path keyFile) {
        return new TokenSettings(ISSUER, AUDIENCE, JWSAlgorithm.RS256, keyFile, "scope", Duration.ofSeconds(30));
    }

    /** Claims a gateway accepts: this issuer and audience, the subject and grants, five minutes to live. */
    public static JWTClaimsSet.Builder claims(String subject, String grants) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("scope", grants);
    }

    /** A token for {@code subject} with these grants that expired {@code ago}. */
    public String expired(String subject, String grants, Duration ago) {
        Instant expiry = Instant.now().minus(ago);
        return sign(claims(subject, grants).issueTime(Date.from(expiry.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(expiry)).build());
    }

    public String token(String subject, String grants) {
        return sign(claims(subject, grants).build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            return sign(claims, JWSAlgorithm.RS256, new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RS256 over a payload given as JSON text, as it is: nulls stay (the claims builder drops them when it
     * serialises).
     */
    public String signJson(String payload) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new Payload(payload));
        try {
            jws.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    /** RS256 with the given {@code typ} header. */
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type).build(), claims,
                    new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWSSigner signer) {
        return sign(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims, signer);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
