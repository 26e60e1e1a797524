package dev.upfront.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The size of a HEIF, HEIC or AVIF file's primary image as decoders produce it: the {@code ispe} property associated
 * (in {@code ipma}) with the item {@code pitm} names, its sides swapped by a quarter-turn {@code irot}
 * (ISO/IEC 23008-12). A file holds one {@code ispe} per item (grid tiles, thumbnails) in any order, so the first one
 * is not the primary's: a phone's photo lists a 512×512 tile's first, and a crafted file can list 100×100 first and
 * decode to 16384×16384. Only the first {@value #MAX_HEAD} bytes are read, where the {@code meta} box is; anything
 * malformed or missing gives no size.
 */
final class HeifPrimarySize {
    static final int MAX_HEAD = 512 * 1024;
    /** Pixels a coded frame may exceed the declared image by on a side: HEVC's largest coding block, cropped away. */
    private static final int CODEC_PADDING = 64;

    private HeifPrimarySize() {}

    /** {width, height}, or empty when the head does not say. */
    static Optional<int[]> of(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readNBytes(MAX_HEAD));
        try {
            Box meta = child(b, 0, b.limit(), "meta");
            if (meta == null) {
                return Optional.empty();
            }
            Optional<int[]> declared = primary(b, meta);
            if (declared.isEmpty()) {
                return declared;
            }
            Optional<CodedSize.Scan> coded = HeifCodedItems.scan(b, meta, in);
            return coded.map(c -> atLeastCoded(declared.get(), c));
        } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /**
     * The declared size, unless the coded data asks a decoder for frames larger, on a side, by more than a codec's
     * padding (HEVC codes whole blocks of up to 64 pixels and crops them), in either orientation (the declared size
     * may be turned by {@code irot}). Then a square of the longest side seen, so that every bound sees at least what
     * decoding would cost: such a file lies about its size.
     */
    private static int[] atLeastCoded(int[] declared, CodedSize.Scan coded) {
        long w = declared[0] + CODEC_PADDING;
        long h = declared[1] + CODEC_PADDING;
        boolean fits = coded.width() <= w && coded.height() <= h || coded.width() <= h && coded.height() <= w;
        if (fits) {
            return declared;
        }
        long side = Math.min(Integer.MAX_VALUE, Math.max(Math.max(declared[0], declared[1]), Math.max(coded.width(), coded.height())));
        return new int[] {(int) side, (int) side};
    }

    /** A box: where its content starts and ends. */
    record Box(String type, int start, int end) {}

    private static Optional<int[]> primary(ByteBuffer b, Box meta) {
        int from = meta.start() + 4; // a full box: version and flags first
        Box pitm = child(b, from, meta.end(), "pitm");
        Box iprp = child(b, from, meta.end(), "iprp");
        if (pitm == null || iprp == null) {
            return Optional.empty();
        }
        long item = b.get(pitm.start()) == 0 ? b.getShort(pitm.start() + 4) & 0xFFFF : b.getInt(pitm.start() + 4) & 0xFFFFFFFFL;
        int[] size = null;
        boolean quarterTurn = false;
        for (Box p : itemProperties(b, iprp).getOrDefault(item, List.of())) {
            if (p.type().equals("ispe") && size == null) {
                size = new int[] {b.getInt(p.start() + 4), b.getInt(p.start() + 8)};
            } else if (p.type().equals("irot")) {
                quarterTurn = (b.get(p.start()) & 1) == 1;
            }
        }
        if (size == null || size[0] <= 0 || size[1] <= 0) {
            return Optional.empty();
        }
        return Optional.of(quarterTurn ? new int[] {size[1], size[0]} : size);
    }

    /**
     * Each item's properties: the {@code ipco} boxes that the {@code ipma} boxes of {@code iprp} associate with it,
     * in order (an index past the properties is skipped).
     */
    static Map<Long, List<Box>> itemProperties(ByteBuffer b, Box iprp) {
        Box ipco = child(b, iprp.start(), iprp.end(), "ipco");
        if (ipco == null) {
            return Map.of();
        }
        List<Box> properties = children(b, ipco.start(), ipco.end());
        Map<Long, List<Box>> items = new HashMap<>();
        for (Box ipma : children(b, iprp.start(), iprp.end())) {
            if (ipma.type().equals("ipma")) {
                associations(b, ipma).forEach((id, indexes) -> {
                    List<Box> of = items.computeIfAbsent(id, k -> new ArrayList<>());
                    for (int index : indexes) {
                        if (index >= 1 && index <= properties.size()) {
                            of.add(properties.get(index - 1));
                        }
                    }
                });
            }
        }
        return items;
    }

    /** The property indexes (1-based) {@code ipma} associates with each item. */
    private static Map<Long, List<Integer>> associations(ByteBuffer b, Box ipma) {
        int version = b.get(ipma.start());
        boolean wideIndexes = (b.get(ipma.start() + 3) & 1) == 1;
        int at = ipma.start() + 4;
        long entries = b.getInt(at) & 0xFFFFFFFFL;
        at += 4;
        Map<Long, List<Integer>> items = new HashMap<>();
        for (long e = 0; e < entries && at < ipma.end(); e++) {
            long id = version < 1 ? b.getShort(at) & 0xFFFF : b.getInt(at) & 0xFFFFFFFFL;
            at += version < 1 ? 2 : 4;
            int count = b.get(at++) & 0xFF;
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                indexes.add(wideIndexes ? b.getShort(at) & 0x7FFF : b.get(at) & 0x7F);
                at += wideIndexes ? 2 : 1;
            }
            items.putIfAbsent(id, indexes);
        }
        return items;
    }

    static Box child(ByteBuffer b, int from, int to, String type) {
        for (Box box : children(b, from, to)) {
            if (box.type().equals(type)) {
                return box;
            }
        }
        return null;
    }

    /** The boxes between {@code from} and {@code to}, in order; stops at the first that does not fit. */
    static List<Box> children(ByteBuffer b, int from, int to) {
        List<Box> boxes = new ArrayList<>();
        int at = from;
        while (at + 8 <= to && boxes.size() < 4096) {
            long size = b.getInt(at) & 0xFFFFFFFFL;
            String type = new String(new byte[] {b.get(at + 4), b.get(at + 5), b.get(at + 6), b.get(at + 7)}, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = b.getLong(at + 8);
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                break; // runs past what was read (an mdat before the end of the head) or is malformed
            }
            boxes.add(new Box(type, at + header, (int) (at + size)));
            at += (int) size;
        }
        return boxes;
    }
}
