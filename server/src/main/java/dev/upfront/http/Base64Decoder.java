package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.upload.FileIntake;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Push-style base64 decoding of a {@code file} text field as it streams in, so a base64 upload costs no more
 * memory than a binary one. Accepts the standard and the URL-safe alphabet, line breaks and spaces, and '='
 * padding only at the end.
 */
final class Base64Decoder {
    private static final int[] VALUES = new int[256];

    static {
        Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
        VALUES['-'] = 62;
        VALUES['_'] = 63;
    }

    private final FileIntake intake;
    private final ByteBuffer out = ByteBuffer.allocate(48 * 1024);
    private final int[] quantum = new int[4];
    private int count;
    private int padding;

    Base64Decoder(FileIntake intake) {
        this.intake = intake;
    }

    void accept(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            int c = in.get() & 0xff;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            if (c == '=') {
                if (count < 2) {
                    throw invalid();
                }
                padding++;
                quantum[count++] = 0;
            } else {
                int v = VALUES[c];
                if (v < 0 || padding > 0) {
                    throw invalid();
                }
                quantum[count++] = v;
            }
            if (count == 4) {
                emit();
            }
        }
    }

    void finish() throws IOException {
        if (count != 0) {
            throw invalid();
        }
        flush();
    }

    private void emit() throws IOException {
        int bits = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) | quantum[3];
        if (out.remaining() < 3) {
            flush();
        }
        out.put((byte) (bits >> 16));
        if (padding < 2) {
            out.put((byte) (bits >> 8));
        }
        if (padding < 1) {
            out.put((byte) bits);
        }
        count = 0;
        if (padding > 0) {
            padding = 3; // only whitespace may follow padding
        }
    }

    private void flush() throws IOException {
        out.flip();
        if (out.hasRemaining()) {
            intake.write(out);
        }
        out.clear();
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_FILE, "A text file parameter must be base64, a data: URI, or an http(s) URL.");
    }
}
