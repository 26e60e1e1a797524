package dev.upfront.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook delivery in both of ImageKit's schemes, with one {@code whsec_…} secret:
 * <ul>
 *   <li>Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp} in Unix seconds, {@code webhook-signature:
 *       v1,<base64>}, an HMAC-SHA256 over {@code id.timestamp.body}), as {@code @imagekit/nodejs} 7's
 *       {@code client.webhooks.unwrap()} verifies it. Its key is the UTF-8 bytes of the whole secret string, prefix
 *       included: {@code unwrap} base64-encodes the string before handing it to {@code standardwebhooks}, which then
 *       decodes it back to those bytes (the Standard Webhooks convention of stripping {@code whsec_} and decoding
 *       the rest would not verify there).</li>
 *   <li>The older {@code x-ik-signature: t=<unix ms>,v1=<hex>}, an HMAC-SHA256 over {@code t.body} with the same
 *       key, as {@code imagekit} 6's {@code verifyWebhookEvent} checks it.</li>
 * </ul>
 */
public final class WebhookSignature {
    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 24;

    private final byte[] key;

    public WebhookSignature(String secret) {
        if (!secret.startsWith(PREFIX) || secret.length() <= PREFIX.length()) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A new secret: {@code whsec_} and the base64 of 24 random bytes, as Standard Webhooks recommends. */
    public static String generateSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The signature headers of one attempt at {@code at}; {@code id} stays the same on every retry. */
    public Map<String, String> headers(String id, String body, Instant at) {
        long seconds = at.getEpochSecond();
        long millis = at.toEpochMilli();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(seconds));
        headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(hmac(id + "." + seconds + "." + body)));
        headers.put("x-ik-signature", "t=" + millis + ",v1=" + HexFormat.of().formatHex(hmac(millis + "." + body)));
        return headers;
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
