package dev.tally.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Caller;
import dev.tally.gateway.auth.Grant;
import dev.tally.gateway.auth.Secrets;
import dev.tally.gateway.auth.TokenSettings;
import dev.tally.gateway.auth.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway spends checking a caller's credentials, once per {@code /v1} call: an API key (its
 * SHA-256 and a map lookup), or a JWT verified by the gateway's own {@link Tokens} with each algorithm
 * family it accepts. The rest of a call (HTTP, Kafka, the engine) costs milliseconds; this says whether
 * credentials add to that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CredentialCheckBenchmark {

    private static final String ISSUER = "https://id.example.test";
    private static final String AUDIENCE = "tally";
    private static final String HMAC_SECRET = "0123456789abcdef0123456789abcdef";

    private ApiKeys keys;
    private String apiKey;
    private Tokens rs256;
    private String rs256Token;
    private Tokens es256;
    private String es256Token;
    private Tokens hs256;
    private String hs256Token;

    @Setup
    public void setUp() throws IOException, JOSEException {
        Path dir = Files.createTempDirectory("tally-jmh");
        apiKey = Secrets.newSecret();
        keys = ApiKeys.of(List.of(new ApiKey("app", Secrets.sha256Hex(apiKey), List.of(Grant.parse("workspace:acme")))),
                null);

        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        rs256 = tokens(JWSAlgorithm.RS256, writeKeys(dir.resolve("rsa.json"), rsa));
        rs256Token = sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa));

        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        es256 = tokens(JWSAlgorithm.ES256, writeKeys(dir.resolve("ec.json"), ec));
        es256Token = sign(JWSAlgorithm.ES256, "ec", new ECDSASigner(ec));

        hs256 = tokens(JWSAlgorithm.HS256, Files.writeString(dir.resolve("secret"), HMAC_SECRET));
        hs256Token = sign(JWSAlgorithm.HS256, null, new MACSigner(HMAC_SECRET));
    }

    private static Path writeKeys(Path file, JWK key) throws IOException {
        return Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
    }

    private static Tokens tokens(JWSAlgorithm algorithm, Path keyFile) {
        return Tokens.of(new TokenSettings(ISSUER, AUDIENCE, algorithm, keyFile, "scope", Duration.ofSeconds(30)));
    }

    private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("billing")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .claim("scope", "workspace:acme:manage claims:tenant-slug").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Benchmark
    public Optional<ApiKey> apiKey() {
        return keys.find(apiKey);
    }

    @Benchmark
    public Caller jwtRs256() {
        return rs256.verify(rs256Token);
    }

    @Benchmark
    public Caller jwtEs256() {
        return es256.verify(es256Token);
    }

    @Benchmark
    public Caller jwtHs256() {
        return hs256.verify(hs256Token);
    }
}
