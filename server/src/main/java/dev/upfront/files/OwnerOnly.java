package dev.upfront.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders (0700) and files (0600) that only the server's own user may read: the data folder holds the database,
 * every uploaded file and maybe the generated private key, so other local users must not read any of it. On a
 * file system without POSIX permissions the attributes are left out.
 */
public final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** Creates {@code dir} and any missing parents owner-only; folders that already exist are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY)) : Files.createDirectories(dir);
    }

    /** Creates an empty owner-only {@code file} unless it exists (so a program that opens it later keeps 0600). */
    public static void createFileIfAbsent(Path file) throws IOException {
        try {
            Files.createFile(file, fileAttributes());
        } catch (FileAlreadyExistsException e) {
            // kept as it is: an existing file's permissions are the operator's choice
        }
    }

    /** The attributes of a new owner-only file, for {@link Files#createFile} and friends. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Whether group or others may access {@code path} (false when the file system has no POSIX permissions). */
    public static boolean isOpenToOthers(Path path) throws IOException {
        if (!POSIX) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        return perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
    }
}
