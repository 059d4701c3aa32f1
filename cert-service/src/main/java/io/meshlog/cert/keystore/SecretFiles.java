package io.meshlog.cert.keystore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and writes files holding secrets (the CA private key, the join-token key) with POSIX mode
 * 0600: written to a temporary file created 0600 and moved into place, so the secret is never
 * readable by others even for a moment; refused on read if group or others may read it.
 */
public final class SecretFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {}

    /** Writes {@code content} to {@code file} with mode 0600, replacing it atomically. */
    public static void write(Path file, byte[] content) {
        try {
            var dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            var temp = Files.createTempFile(dir, ".secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (UnsupportedOperationException e) {
            throw InsecureKeyFileException.notPosix(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file} after checking that only its owner may read it.
     *
     * @throws InsecureKeyFileException if group or others have any permission on it
     */
    public static byte[] read(Path file) {
        checkOwnerOnly(file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Throws {@link InsecureKeyFileException} unless {@code file} is readable by its owner only. */
    public static void checkOwnerOnly(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            throw InsecureKeyFileException.notPosix(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of secret file " + file + ": "
                    + e.getMessage(), e);
        }
        var loose = EnumSet.copyOf(OTHERS);
        loose.retainAll(permissions);
        if (!loose.isEmpty()) {
            throw InsecureKeyFileException.readableByOthers(file, PosixFilePermissions.toString(permissions));
        }
    }

    /** Creates {@code dir} (and parents) with mode 0700 when missing. */
    public static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
