package dev.upfront.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void objectIdsAreImageKitShapedStartWithTheirSecondAndSortInCreationOrder() {
        long before = System.currentTimeMillis() / 1000;
        String previous = Ids.objectId();
        Set<String> seen = new HashSet<>(Set.of(previous));
        int ordered = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.objectId();
            assertTrue(id.matches("[0-9a-f]{24}"), id);
            assertTrue(seen.add(id), "repeated " + id);
            if (id.compareTo(previous) > 0) {
                ordered++;
            }
            previous = id;
        }
        long after = System.currentTimeMillis() / 1000;
        long seconds = HexFormat.fromHexDigitsToLong(previous.substring(0, 8));
        assertTrue(seconds >= before && seconds <= after, previous);
        // Only a wrap of the 3-byte counter (once in 16.7 million) within one second can break the order.
        assertTrue(ordered >= 9_999, ordered + " of 10000 in order");
    }

    @Test
    void objectIdsKeepFortyRandomBits() {
        Set<String> tails = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            tails.add(Ids.objectId().substring(14));
        }
        assertEquals(1_000, tails.size());
    }
}
