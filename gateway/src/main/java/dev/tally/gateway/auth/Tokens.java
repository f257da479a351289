package dev.tally.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The JSON Web Tokens the gateway accepts, checked by Nimbus JOSE+JWT: a signature by a key of the key file
 * with the one configured algorithm (a token that names another, {@code none} included, is refused before
 * any key is tried, so an RSA public key can never be used as an HMAC secret), then the issuer, the audience,
 * the expiry and not-before times, a subject and the grants claim. The key file is followed like the API key
 * file ({@link WatchedFile}): add the new key next to the old, then drop the old, without a restart.
 *
 * <p>The grants claim holds the same grants as an API key line ({@code workspace:acme:manage}), as a string
 * separated by spaces (like OAuth's {@code scope}) or as an array of strings.
 */
public final class Tokens {

    /** What a token's caller is named by: {@code jwt:<sub>}. No API key may have a name that starts so. */
    public static final String CALLER_PREFIX = "jwt:";

    private final TokenSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;

    private Tokens(TokenSettings settings, DefaultJWTProcessor<SecurityContext> processor) {
        this.settings = settings;
        this.processor = processor;
    }

    /**
     * Reads the key file once now.
     *
     * @throws IllegalArgumentException when the key file cannot be read or holds no key for the algorithm
     */
    public static Tokens of(TokenSettings settings, Duration recheck, LongSupplier nanoClock) {
        WatchedFile<JWKSet> keys = WatchedFile.read(settings.keyFile(), "JWT keys",
                text -> keySet(text, settings.algorithm()), recheck, nanoClock);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(trustedKeys(settings.algorithm(), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.audience()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                new HashSet<>(List.of("sub", "exp", settings.grantsClaim())),
                Set.of());
        claims.setMaxClockSkew(Math.toIntExact(settings.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
        // Identity providers type access tokens "at+jwt" (RFC 9068); plain "JWT" and no type stay accepted.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        return new Tokens(settings, processor);
    }

    public static Tokens of(TokenSettings settings) {
        return of(settings, Duration.ofSeconds(1), System::nanoTime);
    }

    /**
     * The keys that may have signed a token: none unless it names the configured algorithm; those of the key
     * file with the token's key id, or, when none has it, every key of the file of the algorithm's type (a key
     * given as PEM or as a secret has no id, while an issuer's tokens usually name one).
     */
    private static JWSKeySelector<SecurityContext> trustedKeys(JWSAlgorithm algorithm, WatchedFile<JWKSet> keys) {
        return (header, context) -> {
            if (!algorithm.equals(header.getAlgorithm())) {
                return List.of();
            }
            JWKSet set = keys.current();
            List<JWK> found = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set);
            if (found.isEmpty() && header.getKeyID() != null) {
                JWSHeader anyKey = new JWSHeader.Builder(header).keyID(null).build();
                found = new JWKSelector(JWKMatcher.forJWSHeader(anyKey)).select(set);
            }
            return KeyConverter.toJavaKeys(found);
        };
    }

    /** Whether a bearer credential has the shape of a JWT (three dot-separated parts); API keys have no dot. */
    public static boolean looksLikeToken(String credential) {
        int first = credential.indexOf('.');
        int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
        return second > 0 && credential.indexOf('.', second + 1) < 0;
    }

    /**
     * The caller a valid token stands for, named {@code jwt:<subject>}.
     *
     * @throws InvalidToken saying what is wrong with it
     */
    public Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidToken("not a signed JWT: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidToken(e.getMessage());
        }
        // Nimbus takes a claim set to null as present: a token must not escape expiry, nor name nobody.
        if (claims.getExpirationTime() == null) {
            throw new InvalidToken("exp must be a time");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new InvalidToken("sub must name the caller");
        }
        return new Caller(CALLER_PREFIX + subject, grants(claims));
    }

    private List<Grant> grants(JWTClaimsSet claims) {
        String claim = settings.grantsClaim();
        Object value = claims.getClaim(claim);
        List<String> words = new ArrayList<>();
        if (value instanceof String text) {
            words.addAll(List.of(text.strip().split("\\s+")));
        } else if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            list.forEach(item -> words.add((String) item));
        } else {
            throw new InvalidToken("claim '" + claim + "' must be a string of grants separated by spaces, or an"
                    + " array of grants");
        }
        List<Grant> grants = new ArrayList<>();
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            try {
                grants.add(Grant.parse(word));
            } catch (IllegalArgumentException e) {
                throw new InvalidToken("claim '" + claim + "': " + e.getMessage());
            }
        }
        return grants;
    }

    /**
     * The verification keys of a key file: a JWK set (JSON), or one PEM public key, for an asymmetric
     * algorithm; the shared secret itself (its text, at least as many bits as the hash) for an HMAC one.
     */
    static JWKSet keySet(String text, JWSAlgorithm algorithm) {
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            String stripped = text.strip();
            if (stripped.startsWith("{") || stripped.startsWith("-----BEGIN")) {
                // Whoever holds a public key could sign with it: refuse to take one for a shared secret.
                throw new IllegalArgumentException("the key file looks like a JWK set or a PEM public key, which"
                        + " " + algorithm + " would use as a shared secret; give the secret itself, or an"
                        + " asymmetric algorithm");
            }
            byte[] secret = stripped.getBytes(StandardCharsets.UTF_8);
            // The JWS standard's minimum: as many bits as the hash.
            int minBytes;
            try {
                minBytes = MACSigner.getMinRequiredSecretLength(algorithm) / 8;
            } catch (JOSEException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (secret.length < minBytes) {
                throw new IllegalArgumentException("an " + algorithm + " secret needs at least " + minBytes
                        + " bytes; the key file has " + secret.length);
            }
            return new JWKSet(new OctetSequenceKey.Builder(secret).build());
        }
        try {
            String trimmed = text.strip();
            JWKSet set = trimmed.startsWith("{") ? JWKSet.parse(trimmed) : new JWKSet(fromPem(trimmed, algorithm));
            JWKSet publicKeys = set.toPublicJWKSet();
            if (publicKeys.isEmpty()) {
                throw new IllegalArgumentException("the key file holds no public key");
            }
            return publicKeys;
        } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file is neither a JWK set nor a PEM public key for "
                    + algorithm + ": " + e.getMessage(), e);
        }
    }

    /**
     * One {@code BEGIN PUBLIC KEY} block, read with the JDK's own key factories (Nimbus reads PEM only through
     * Bouncy Castle, a dependency this one key format does not justify).
     */
    private static JWK fromPem(String pem, JWSAlgorithm algorithm) throws GeneralSecurityException {
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected '" + begin + "'");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        if (JWSAlgorithm.Family.EC.contains(algorithm)) {
            ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
            return new ECKey.Builder(Curve.forECParameterSpec(key.getParams()), key).build();
        }
        return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
    }

    /** A token the gateway does not accept, and why. */
    public static final class InvalidToken extends RuntimeException {

        public InvalidToken(String reason) {
            super(reason);
        }
    }
}
