package io.meshlog.cert.keystore;

import java.nio.file.Path;

/** A secret file (CA key, token key) that others than its owner may read, or that cannot be checked. */
public final class InsecureKeyFileException extends RuntimeException {
    private final Path file;

    private InsecureKeyFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    static InsecureKeyFileException readableByOthers(Path file, String mode) {
        return new InsecureKeyFileException(file, "refusing to load secret key file " + file
                + ": its mode is " + mode + " (readable by group or others); it must be rw------- (0600)."
                + " Fix it with: chmod 600 " + file);
    }

    static InsecureKeyFileException notPosix(Path file) {
        return new InsecureKeyFileException(file, "refusing to load secret key file " + file
                + ": its file system has no POSIX permissions, so mode 0600 cannot be checked");
    }

    /** The file that was refused. */
    public Path file() {
        return file;
    }
}
