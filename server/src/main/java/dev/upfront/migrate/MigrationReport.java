package dev.upfront.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a migration did.
 *
 * @param resumed           whether it continued an interrupted run
 * @param blobsCopied       originals copied by this run, and their bytes
 * @param blobsAlreadyThere originals an interrupted run had copied (read back and verified again), and their bytes
 * @param rows              rows copied per table, in copy order
 */
public record MigrationReport(boolean resumed, long blobsCopied, long bytesCopied, long blobsAlreadyThere,
                              long bytesAlreadyThere, Map<String, Long> rows) {

    /** Originals on the target whose checksum was read back and matched the library's record. */
    public long blobsVerified() {
        return blobsCopied + blobsAlreadyThere;
    }

    /** The summary printed at the end. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("  originals: " + blobsCopied + " copied (" + bytes(bytesCopied) + ")"
                + (resumed ? ", " + blobsAlreadyThere + " already copied by the interrupted run (" + bytes(bytesAlreadyThere) + ")" : "")
                + "; all " + blobsVerified() + " read back with the recorded checksum");
        rows.forEach((table, n) -> lines.add(String.format(Locale.ROOT, "  %-24s %d row(s)", table + ":", n)));
        return lines;
    }

    /** A byte count for people: {@code 1.5 MiB (1572864 bytes)}. */
    static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit < 0 ? n + " bytes" : String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], n);
    }
}
