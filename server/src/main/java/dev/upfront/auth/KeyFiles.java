package dev.upfront.auth;

import dev.upfront.files.OwnerOnly;
import dev.upfront.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes key files: one pair per line, {@code public_… private_…} separated by whitespace; blank lines
 * and lines starting with {@code #} are ignored. The same format serves {@code UPFRONT_KEYS_FILE} and the pair
 * generated into the data folder on first start.
 */
public final class KeyFiles {
    private KeyFiles() {}

    /** @throws IllegalArgumentException naming the line when the file is malformed */
    public static List<KeyPair> read(Path file) throws IOException {
        List<KeyPair> pairs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected '<public key> <private key>'");
            }
            pairs.add(new KeyPair(parts[0], parts[1]));
        }
        return pairs;
    }

    /** A new pair: the private key carries 32 random bytes, the public key 16. */
    public static KeyPair generate() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new KeyPair("public_" + b64.encodeToString(Ids.randomBytes(16)),
                "private_" + b64.encodeToString(Ids.randomBytes(32)));
    }

    /** Writes {@code pair} to a new file readable by its owner only. */
    public static void writeNew(Path file, KeyPair pair) {
        try {
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, OwnerOnly.fileAttributes());
            Files.writeString(tmp, "# Upfront key pair generated on first start. Keep the private key secret.\n"
                    + pair.publicKey() + " " + pair.privateKey() + "\n", StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
