package dev.upfront.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The memory delivery keeps bodies in: never over its bound (bodies and keys), never a body over the entry limit. */
class HotBodiesTest {
    private static HotBodies.Body body(int size, int fill) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) fill);
        return new HotBodies.Body(ByteBuffer.wrap(bytes), "application/octet-stream", "\"e" + fill + "\"", false);
    }

    @Test
    void staysWithinItsByteBoundWhateverIsPut() {
        HotBodies hot = new HotBodies(10_000, 1_000);
        for (int i = 0; i < 500; i++) {
            hot.put("k" + i, body(100 + (i * 37) % 900, i));
            assertThat(hot.bytes()).isLessThanOrEqualTo(10_000);
            hot.get("k" + (i / 2)); // some earlier keys stay in use
        }
        assertThat(hot.size()).isGreaterThan(9);
        assertThat(hot.get("k499")).as("the newest body is kept").isPresent();
    }

    @Test
    void aBodyOverTheEntryLimitIsNotKept() {
        HotBodies hot = new HotBodies(10_000, 1_000);
        hot.put("big", body(1_001, 1));
        assertThat(hot.get("big")).isEmpty();
        assertThat(hot.bytes()).isZero();
        hot.put("fits", body(1_000, 2));
        assertThat(hot.get("fits")).isPresent();
    }

    @Test
    void aBodyInUseOutlivesOnesNotUsed() {
        long each = HotBodies.cost("hot1", body(1_000, 0));
        HotBodies hot = new HotBodies(3 * each, 1_000);
        hot.put("hot1", body(1_000, 1));
        hot.put("cld1", body(1_000, 2));
        hot.put("cld2", body(1_000, 3));
        hot.get("hot1");
        hot.put("new1", body(1_000, 4));
        assertThat(hot.get("hot1")).isPresent();
        assertThat(hot.get("cld1")).isEmpty();
        assertThat(hot.bytes()).isEqualTo(3 * each);
    }

    @Test
    void keysCountAgainstTheBoundToo() {
        HotBodies hot = new HotBodies(100_000, 1_000);
        String longKey = "k".repeat(10_000);
        for (int i = 0; i < 200; i++) {
            hot.put(longKey + i, body(1, i)); // one byte of body under 20 KB of key
            assertThat(hot.bytes()).isLessThanOrEqualTo(100_000);
        }
        assertThat(hot.size()).isLessThanOrEqualTo(5);
    }

    @Test
    void zeroBytesKeepsNothing() {
        HotBodies hot = new HotBodies(0, 0);
        hot.put("a", body(1, 1));
        assertThat(hot.get("a")).isEmpty();
        assertThat(hot.bytes()).isZero();
    }

    @Test
    void eachViewHasItsOwnPosition() {
        HotBodies hot = new HotBodies(1_000, 1_000);
        hot.put("a", body(10, 5));
        ByteBuffer first = hot.get("a").orElseThrow().view();
        first.get(new byte[10]);
        assertThat(hot.get("a").orElseThrow().view().remaining()).isEqualTo(10);
    }
}
