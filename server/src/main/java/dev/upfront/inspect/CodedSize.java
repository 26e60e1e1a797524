package dev.upfront.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The frame size a HEIF item's coded data asks its decoder for, read from the parameter sets that come before its
 * first picture: AV1 sequence headers ({@code max_frame_width_minus_1}, AV1 spec 5.5) and HEVC sequence parameter
 * sets ({@code pic_width_in_luma_samples}, H.265 7.3.2.2). Decoders allocate what these say, whatever the container's
 * {@code ispe} claims, so a file whose {@code ispe} says 100×100 over a 16384×16384 bitstream is found out here,
 * before anything is decoded. Malformed input throws {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException}.
 */
final class CodedSize {
    private static final int AV1_SEQUENCE_HEADER = 1;
    private static final int AV1_FRAME_HEADER = 3;
    private static final int AV1_TILE_GROUP = 4;
    private static final int AV1_FRAME = 6;
    private static final int HEVC_FIRST_NON_PICTURE = 32;
    private static final int HEVC_SPS = 33;

    /** The largest frame the parameter sets seen allow (0 when none), and whether the first picture was reached. */
    record Scan(long width, long height, boolean reachedPicture) {
        static final Scan NONE = new Scan(0, 0, false);

        Scan with(long w, long h) {
            return new Scan(Math.max(width, w), Math.max(height, h), reachedPicture);
        }

        Scan max(Scan other) {
            return new Scan(Math.max(width, other.width), Math.max(height, other.height), reachedPicture || other.reachedPicture);
        }

        Scan atPicture() {
            return new Scan(width, height, true);
        }
    }

    private CodedSize() {}

    /** An {@code av1C} box's content: four bytes of fields, then configuration OBUs (often none). */
    static Scan av1Config(ByteBuffer b, int from, int to) {
        return av1(b, from + 4, to);
    }

    /** AV1 OBUs (low-overhead format) between {@code from} and {@code to}, up to the first frame. */
    static Scan av1(ByteBuffer b, int from, int to) {
        Scan scan = Scan.NONE;
        int at = from;
        while (at < to) {
            int header = b.get(at) & 0xFF;
            int type = (header >> 3) & 0xF;
            boolean extension = (header & 0x4) != 0;
            boolean hasSize = (header & 0x2) != 0;
            at += extension ? 2 : 1;
            long size;
            if (hasSize) {
                long value = 0;
                int i = 0;
                int octet;
                do {
                    octet = b.get(at++) & 0xFF;
                    value |= (long) (octet & 0x7F) << (7 * i);
                    i++;
                } while ((octet & 0x80) != 0 && i < 8);
                size = value;
            } else {
                size = to - at;
            }
            if (type == AV1_FRAME_HEADER || type == AV1_FRAME || type == AV1_TILE_GROUP) {
                return scan.atPicture(); // its size may run past what was read: a picture's data is large
            }
            if (size < 0 || at + size > to) {
                throw new IllegalArgumentException("an OBU runs past its data");
            }
            if (type == AV1_SEQUENCE_HEADER) {
                long[] wh = av1SequenceHeader(new Bits(slice(b, at, (int) size)));
                scan = scan.with(wh[0], wh[1]);
            }
            at += (int) size;
        }
        return scan;
    }

    private static long[] av1SequenceHeader(Bits r) {
        r.skip(3); // seq_profile
        r.skip(1); // still_picture
        boolean reduced = r.flag();
        if (reduced) {
            r.skip(5); // seq_level_idx[0]
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (r.flag()) { // timing_info_present_flag
                r.skip(32); // num_units_in_display_tick
                r.skip(32); // time_scale
                if (r.flag()) { // equal_picture_interval
                    r.uvlc(); // num_ticks_per_picture_minus_1
                }
                decoderModelInfo = r.flag();
                if (decoderModelInfo) {
                    bufferDelayLength = (int) r.bits(5) + 1;
                    r.skip(32); // num_units_in_decoding_tick
                    r.skip(5); // buffer_removal_time_length_minus_1
                    r.skip(5); // frame_presentation_time_length_minus_1
                }
            }
            boolean initialDisplayDelay = r.flag();
            int operatingPoints = (int) r.bits(5) + 1;
            for (int i = 0; i < operatingPoints; i++) {
                r.skip(12); // operating_point_idc
                if (r.bits(5) > 7) { // seq_level_idx
                    r.skip(1); // seq_tier
                }
                if (decoderModelInfo && r.flag()) { // decoder_model_present_for_this_op
                    r.skip(2 * bufferDelayLength + 1); // decoder and encoder buffer delays, low_delay_mode_flag
                }
                if (initialDisplayDelay && r.flag()) {
                    r.skip(4); // initial_display_delay_minus_1
                }
            }
        }
        int widthBits = (int) r.bits(4) + 1;
        int heightBits = (int) r.bits(4) + 1;
        return new long[] {r.bits(widthBits) + 1, r.bits(heightBits) + 1};
    }

    /** An {@code hvcC} box's content: its fields, then arrays of parameter set NAL units. Its NAL length size too. */
    static Scan hevcConfig(ByteBuffer b, int from, int to) {
        Scan scan = Scan.NONE;
        int arrays = b.get(from + 22) & 0xFF;
        int at = from + 23;
        for (int a = 0; a < arrays && at < to; a++) {
            int count = b.getShort(at + 1) & 0xFFFF;
            at += 3;
            for (int n = 0; n < count; n++) {
                int length = b.getShort(at) & 0xFFFF;
                at += 2;
                if (at + length > to) {
                    throw new IllegalArgumentException("a NAL unit runs past hvcC");
                }
                scan = scan.max(hevcNal(b, at, length));
                at += length;
            }
        }
        return new Scan(scan.width(), scan.height(), false);
    }

    /** The byte count of the length before each NAL unit of the items that {@code hvcC} describes. */
    static int hevcLengthSize(ByteBuffer b, int hvcCFrom) {
        return (b.get(hvcCFrom + 21) & 0x3) + 1;
    }

    /** HEVC NAL units, each after a {@code lengthSize}-byte length, up to the first picture's. */
    static Scan hevc(ByteBuffer b, int from, int to, int lengthSize) {
        Scan scan = Scan.NONE;
        int at = from;
        while (at + lengthSize <= to) {
            long length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = (length << 8) | (b.get(at + i) & 0xFF);
            }
            at += lengthSize;
            if (length < 2 || at + 2 > to) {
                throw new IllegalArgumentException("a NAL unit runs past its data");
            }
            if (isPicture(b, at)) {
                return scan.atPicture(); // its length may run past what was read: a picture's data is large
            }
            if (at + length > to) {
                throw new IllegalArgumentException("a NAL unit runs past its data");
            }
            scan = scan.max(hevcNal(b, at, (int) length));
            at += (int) length;
        }
        return scan;
    }

    private static boolean isPicture(ByteBuffer b, int at) {
        return ((b.get(at) >> 1) & 0x3F) < HEVC_FIRST_NON_PICTURE;
    }

    /** A parameter set NAL unit: an SPS's coded size, nothing for the others. */
    private static Scan hevcNal(ByteBuffer b, int at, int length) {
        if (((b.get(at) >> 1) & 0x3F) != HEVC_SPS) {
            return Scan.NONE;
        }
        Bits r = new Bits(withoutEmulationPrevention(b, at + 2, length - 2));
        r.skip(4); // sps_video_parameter_set_id
        int subLayers = (int) r.bits(3); // sps_max_sub_layers_minus1
        r.skip(1); // sps_temporal_id_nesting_flag
        r.skip(96); // general profile, compatibility, constraint flags and level
        boolean[] profilePresent = new boolean[subLayers];
        boolean[] levelPresent = new boolean[subLayers];
        for (int i = 0; i < subLayers; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (subLayers > 0) {
            r.skip(2 * (8 - subLayers));
        }
        for (int i = 0; i < subLayers; i++) {
            r.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        r.ue(); // sps_seq_parameter_set_id
        if (r.ue() == 3) { // chroma_format_idc
            r.skip(1); // separate_colour_plane_flag
        }
        long width = r.ue();
        long height = r.ue();
        return new Scan(width, height, false);
    }

    private static byte[] slice(ByteBuffer b, int at, int length) {
        byte[] out = new byte[length];
        b.get(at, out);
        return out;
    }

    /** The NAL unit's payload with each {@code 00 00 03}'s 03 removed (H.265 7.4.2). */
    private static byte[] withoutEmulationPrevention(ByteBuffer b, int at, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        int zeros = 0;
        for (int i = at; i < at + length; i++) {
            int v = b.get(i) & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out.write(v);
        }
        return out.toByteArray();
    }

    /** Reads bits most significant first. */
    private static final class Bits {
        private final byte[] data;
        private long at;

        Bits(byte[] data) {
            this.data = data;
        }

        long bits(int n) {
            long value = 0;
            for (int i = 0; i < n; i++) {
                if (at >= (long) data.length * 8) {
                    throw new IllegalArgumentException("a parameter set ends early");
                }
                int bit = (data[(int) (at >> 3)] >> (7 - (int) (at & 7))) & 1;
                value = (value << 1) | bit;
                at++;
            }
            return value;
        }

        boolean flag() {
            return bits(1) == 1;
        }

        void skip(int n) {
            at += n;
        }

        /** Exp-Golomb ue(v) (H.265 9.2). */
        long ue() {
            int zeros = 0;
            while (bits(1) == 0) {
                if (++zeros > 31) {
                    throw new IllegalArgumentException("an ue(v) longer than 32 bits");
                }
            }
            return (1L << zeros) - 1 + bits(zeros);
        }

        /** AV1 uvlc() (AV1 4.10.3). */
        long uvlc() {
            int zeros = 0;
            while (bits(1) == 0) {
                if (++zeros >= 32) {
                    return (1L << 32) - 1;
                }
            }
            return bits(zeros) + (1L << zeros) - 1;
        }
    }
}
