package io.meshlog.dev;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The state directory of one {@code meshlog dev}: checked usable, and locked so that two
 * launchers never share it (a second one would corrupt the broker's logs).
 */
final class StateDirectory implements AutoCloseable {
    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates (if needed), checks and locks {@code root}. */
    static StateDirectory open(Path root) {
        var dir = root.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DevStartException("state directory " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DevStartException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new DevStartException("state directory " + dir + " is not writable");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this JVM already
            }
            if (lock == null) {
                channel.close();
                throw new DevStartException("state directory " + dir
                        + " is in use by another meshlog dev; stop it, or pass --state-dir");
            }
            return new StateDirectory(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DevStartException("cannot lock state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes everything under {@code root} (for {@code --reset}); refuses while it is locked. */
    static void wipe(Path root) {
        var dir = root.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            return;
        }
        var state = open(dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(dir) && !p.equals(dir.resolve(".lock")))
                    .forEach(StateDirectory::delete);
        } catch (IOException e) {
            throw new DevStartException("cannot wipe state directory " + dir + ": " + e.getMessage(), e);
        } finally {
            state.close();
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new DevStartException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // The lock goes away with the channel anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
