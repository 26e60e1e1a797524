package dev.upfront.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upfront.protocol.UrlSigning;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a signed URL's signature covers, beyond the conformance vectors: it never stretches to another URL or time. */
class UrlSignatureTest {
    private static final String KEY = "private_signing_key";
    private final UrlSignature signatures = new UrlSignature(new KeyRing(List.of(new KeyPair("public_unused", KEY))));
    private final Instant now = Instant.parse("2026-12-08T00:00:00Z");

    @Test
    void anExpiredUrlsDigitsCannotMoveIntoItsExpiry() {
        String expired = Long.toString(now.minusSeconds(3600).getEpochSecond());
        String signature = UrlSigning.signature(KEY, "priv.jpg?tr=w-300,q-85", expired);
        assertThat(signatures.check("priv.jpg", "tr=w-300,q-85&ik-t=" + expired + "&ik-s=" + signature, now))
                .isEqualTo(UrlSignature.Result.EXPIRED);
        // The same signed text, split elsewhere: "q-8" and an expiry of "5" + T, thousands of years on.
        assertThat(signatures.check("priv.jpg", "tr=w-300,q-8&ik-t=5" + expired + "&ik-s=" + signature, now))
                .isEqualTo(UrlSignature.Result.INVALID);

        String cacheBuster = UrlSigning.signature(KEY, "priv.jpg?v=12", expired);
        assertThat(signatures.check("priv.jpg", "v=&ik-t=12" + expired + "&ik-s=" + cacheBuster, now))
                .isEqualTo(UrlSignature.Result.INVALID);
    }

    @Test
    void anExpiryIsTenDigitsOfUnixSeconds() {
        String later = Long.toString(now.plusSeconds(60).getEpochSecond());
        assertThat(signatures.check("a.jpg", "ik-t=" + later + "&ik-s=" + UrlSigning.signature(KEY, "a.jpg", later), now))
                .isEqualTo(UrlSignature.Result.VALID);
        for (String odd : new String[] {"0" + later, later.substring(1), "+" + later.substring(1), ""}) {
            assertThat(signatures.check("a.jpg", "ik-t=" + odd + "&ik-s=" + UrlSigning.signature(KEY, "a.jpg", odd), now))
                    .as(odd).isEqualTo(UrlSignature.Result.INVALID);
        }
    }
}
