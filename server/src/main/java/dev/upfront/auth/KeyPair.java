package dev.upfront.auth;

/** One account key pair. {@link #toString()} never shows the private key. */
public record KeyPair(String publicKey, String privateKey) {
    public KeyPair {
        if (publicKey == null || publicKey.isBlank() || privateKey == null || privateKey.isBlank()) {
            throw new IllegalArgumentException("a key pair needs both a public and a private key");
        }
    }

    @Override
    public String toString() {
        return "KeyPair[publicKey=" + publicKey + ", privateKey=***]";
    }
}
