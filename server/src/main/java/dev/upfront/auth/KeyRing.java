package dev.upfront.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The active key pairs. Several may be active at once (rotation): any of them authenticates Basic auth, v1
 * signatures and v2 JWTs. Immutable and thread-safe.
 */
public final class KeyRing {
    private final List<KeyPair> pairs;

    public KeyRing(List<KeyPair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("at least one key pair is required");
        }
        this.pairs = List.copyOf(pairs);
    }

    public List<KeyPair> pairs() {
        return pairs;
    }

    public Optional<KeyPair> byPublicKey(String publicKey) {
        return pairs.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }

    /** Looks up by private key, comparing every pair in constant time so timing does not reveal a prefix. */
    public Optional<KeyPair> byPrivateKey(String privateKey) {
        byte[] given = privateKey.getBytes(StandardCharsets.UTF_8);
        KeyPair found = null;
        for (KeyPair pair : pairs) {
            byte[] candidate = pair.privateKey().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(candidate, given)) {
                found = pair;
            }
        }
        return Optional.ofNullable(found);
    }
}
