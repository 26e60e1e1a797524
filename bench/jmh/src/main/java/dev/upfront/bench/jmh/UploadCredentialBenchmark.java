package dev.upfront.bench.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.upfront.auth.Hmac;
import dev.upfront.auth.KeyPair;
import dev.upfront.auth.KeyRing;
import dev.upfront.auth.UploadAuthenticator;
import dev.upfront.tokens.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The CPU cost of checking a client-side upload credential, as the upload route does it: {@code
 * UploadAuthenticator.Attempt.complete} on a form's text fields. v1: key lookup, HMAC-SHA1 of {@code token + expire}
 * compared in constant time, expiry rules. v2: canonical base64url and JSON checks, HS256 verification, time claims
 * and the binding of every field to the payload.
 *
 * <p>The one-time rule's write (a row per credential) is left out on purpose: a store that remembers nothing stands
 * in for it, so one credential can be checked again and again. That write is part of the HTTP upload scenarios of
 * bench/run.sh, which use a fresh credential per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UploadCredentialBenchmark {
    private static final KeyPair PAIR = new KeyPair("public_bench", "private_bench_key");

    private UploadAuthenticator authenticator;
    private Map<String, String> v1Fields;
    private Map<String, String> v2Fields;

    @Setup
    public void setUp() {
        authenticator = new UploadAuthenticator(new KeyRing(List.of(PAIR)), new ForgetfulTokenStore(),
                InstantSource.system(), Duration.ZERO);
        long now = Instant.now().getEpochSecond();
        String token = "6f2b9c1e-3d4a-4b7e-9a51-0c8d2e7f4a19";
        String expire = Long.toString(now + 1800);
        v1Fields = new LinkedHashMap<>();
        v1Fields.put("fileName", "photo.jpg");
        v1Fields.put("publicKey", PAIR.publicKey());
        v1Fields.put("token", token);
        v1Fields.put("expire", expire);
        v1Fields.put("signature", Hmac.sha1Hex(PAIR.privateKey(), token + expire));
        // As ImageKit's SDKs sign a v2 upload: every field but file and token in the payload, iat and exp.
        String jwt = JWT.create()
                .withKeyId(PAIR.publicKey())
                .withClaim("fileName", "photo.jpg")
                .withClaim("folder", "/bench")
                .withClaim("iat", now)
                .withClaim("exp", now + 1800)
                .sign(Algorithm.HMAC256(PAIR.privateKey()));
        v2Fields = new LinkedHashMap<>();
        v2Fields.put("fileName", "photo.jpg");
        v2Fields.put("folder", "/bench");
        v2Fields.put("token", jwt);
        // Fail here, not as a benchmark of the error path.
        v1Signature();
        v2Jwt();
    }

    @Benchmark
    public KeyPair v1Signature() {
        return checked(authenticator.attempt(1, Optional.empty()), v1Fields);
    }

    @Benchmark
    public KeyPair v2Jwt() {
        return checked(authenticator.attempt(2, Optional.empty()), v2Fields);
    }

    /** Checks, then settles the claim as a request does when it ends (the forgetful store makes that free). */
    private static KeyPair checked(UploadAuthenticator.Attempt attempt, Map<String, String> fields) {
        KeyPair pair = attempt.complete(fields);
        attempt.burnPending();
        return pair;
    }

    /** Says "first sight" to every credential: the benchmark measures the checks, not the one-time row. */
    private static final class ForgetfulTokenStore implements TokenStore {
        @Override
        public boolean burn(String token, Instant keepUntil) {
            return true;
        }

        @Override
        public boolean burnInTransaction(String token, Instant keepUntil) {
            return true;
        }

        @Override
        public boolean isBurned(String token) {
            return false;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public int purgeExpired(Instant now) {
            return 0;
        }

        @Override
        public long size() {
            return 0;
        }
    }
}
