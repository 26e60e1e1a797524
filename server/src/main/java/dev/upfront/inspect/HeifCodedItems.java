package dev.upfront.inspect;

import dev.upfront.inspect.HeifPrimarySize.Box;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the coded items of a HEIF file (those with an {@code av1C} or {@code hvcC} property: the primary image, its
 * grid's tiles, an alpha plane, thumbnails) ask their decoders for: the parameter sets in each item's codec
 * configuration and at the start of its data ({@code iloc}'s first extent), up to its first picture ({@link CodedSize}).
 * The data may lie past the head that {@link HeifPrimarySize} read: the rest of the stream is then read forward, at
 * most {@value #WINDOW} bytes kept per item.
 */
final class HeifCodedItems {
    /** The start of an item's data read for its parameter sets, which come first. */
    static final int WINDOW = 64 * 1024;

    private HeifCodedItems() {}

    /** One coded item: its codec's configuration box and where its data starts. */
    private record Item(Box config, long offset, long length) {}

    /**
     * The largest frame any coded item's parameter sets allow; empty when an item's data could not be followed to
     * its first picture (cut short, past the file's end, built from other items): then nobody can say what decoding
     * costs. {@code rest} is the stream after the head.
     */
    static Optional<CodedSize.Scan> scan(ByteBuffer head, Box meta, InputStream rest) throws IOException {
        List<Item> found = codedItems(head, meta);
        if (found == null) {
            return Optional.empty();
        }
        // In file order: data past the head is read forward.
        List<Item> items = found.stream().sorted(Comparator.comparingLong(Item::offset)).toList();
        CodedSize.Scan all = CodedSize.Scan.NONE;
        long position = head.limit(); // of the stream
        for (Item item : items) {
            boolean av1 = item.config().type().equals("av1C");
            CodedSize.Scan config = av1 ? CodedSize.av1Config(head, item.config().start(), item.config().end())
                    : CodedSize.hevcConfig(head, item.config().start(), item.config().end());
            // A length of 0 runs to the end of the file.
            int window = (int) (item.length() == 0 ? WINDOW : Math.min(item.length(), WINDOW));
            ByteBuffer data;
            if (item.offset() + window <= head.limit()) {
                data = head.slice((int) item.offset(), window);
            } else if (item.offset() >= position) {
                try {
                    rest.skipNBytes(item.offset() - position);
                } catch (EOFException pastTheEnd) {
                    return Optional.empty();
                }
                data = ByteBuffer.wrap(rest.readNBytes(window));
                position = item.offset() + data.limit();
            } else if (position == head.limit()) { // starts in the head, ends after it
                byte[] joined = new byte[window];
                int inHead = head.limit() - (int) item.offset();
                head.get((int) item.offset(), joined, 0, inHead);
                int more = rest.readNBytes(joined, inHead, window - inHead);
                data = ByteBuffer.wrap(joined, 0, inHead + more).slice();
                position += more;
            } else {
                return Optional.empty(); // overlaps another item's data read already: not how encoders write
            }
            CodedSize.Scan coded = av1 ? CodedSize.av1(data, 0, data.limit())
                    : CodedSize.hevc(data, 0, data.limit(), CodedSize.hevcLengthSize(head, item.config().start()));
            if (!coded.reachedPicture()) {
                return Optional.empty();
            }
            all = all.max(config).max(coded);
        }
        return Optional.of(all);
    }

    /** The coded items, each with its first extent's place in the file; null when one has none that can be read. */
    private static List<Item> codedItems(ByteBuffer b, Box meta) {
        int from = meta.start() + 4;
        Box iprp = HeifPrimarySize.child(b, from, meta.end(), "iprp");
        Box iloc = HeifPrimarySize.child(b, from, meta.end(), "iloc");
        if (iprp == null) {
            return List.of();
        }
        Map<Long, Box> configs = new HashMap<>();
        HeifPrimarySize.itemProperties(b, iprp).forEach((id, properties) -> properties.stream()
                .filter(p -> p.type().equals("av1C") || p.type().equals("hvcC")).findFirst()
                .ifPresent(config -> configs.put(id, config)));
        if (configs.isEmpty()) {
            return List.of();
        }
        if (iloc == null) {
            return null;
        }
        Map<Long, long[]> extents = firstExtents(b, iloc, HeifPrimarySize.child(b, from, meta.end(), "idat"));
        List<Item> items = new ArrayList<>();
        for (Map.Entry<Long, Box> coded : configs.entrySet()) {
            long[] extent = extents.get(coded.getKey());
            if (extent == null || extent[0] < 0 || extent[1] < 0) {
                return null;
            }
            items.add(new Item(coded.getValue(), extent[0], extent[1]));
        }
        return items;
    }

    /**
     * Each item's first extent, {offset in the file, length} (ISO/IEC 14496-12 8.11.3): in the file, or in
     * {@code idat}. Items built from other items' data (construction method 2) are left out.
     */
    private static Map<Long, long[]> firstExtents(ByteBuffer b, Box iloc, Box idat) {
        int version = b.get(iloc.start());
        int at = iloc.start() + 4;
        int offsetSize = (b.get(at) >> 4) & 0xF;
        int lengthSize = b.get(at) & 0xF;
        int baseOffsetSize = (b.get(at + 1) >> 4) & 0xF;
        int indexSize = version == 1 || version == 2 ? b.get(at + 1) & 0xF : 0;
        at += 2;
        long count = version < 2 ? b.getShort(at) & 0xFFFF : b.getInt(at) & 0xFFFFFFFFL;
        at += version < 2 ? 2 : 4;
        Map<Long, long[]> extents = new HashMap<>();
        for (long i = 0; i < count && at < iloc.end(); i++) {
            long id = version < 2 ? b.getShort(at) & 0xFFFF : b.getInt(at) & 0xFFFFFFFFL;
            at += version < 2 ? 2 : 4;
            int method = 0;
            if (version == 1 || version == 2) {
                method = b.getShort(at) & 0xF;
                at += 2;
            }
            at += 2; // data_reference_index
            long base = number(b, at, baseOffsetSize);
            at += baseOffsetSize;
            int extentCount = b.getShort(at) & 0xFFFF;
            at += 2;
            for (int e = 0; e < extentCount; e++) {
                at += indexSize;
                long offset = number(b, at, offsetSize);
                at += offsetSize;
                long length = number(b, at, lengthSize);
                at += lengthSize;
                if (e > 0) {
                    continue;
                }
                if (method == 0) {
                    extents.put(id, new long[] {base + offset, length});
                } else if (method == 1 && idat != null) {
                    extents.put(id, new long[] {idat.start() + base + offset, Math.min(length, idat.end() - (idat.start() + base + offset))});
                }
            }
        }
        return extents;
    }

    private static long number(ByteBuffer b, int at, int size) {
        return switch (size) {
            case 0 -> 0;
            case 4 -> b.getInt(at) & 0xFFFFFFFFL;
            case 8 -> b.getLong(at);
            default -> throw new IllegalArgumentException("an iloc field of " + size + " bytes");
        };
    }
}
