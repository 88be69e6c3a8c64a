package io.vela.transport.ipc;

import io.vela.engine.VelaConfig;
import io.vela.transport.TransportException;
import io.vela.transport.TransportSettings;
import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A memory-mapped file holding one Agrona ring or broadcast buffer behind a small Vela header, created atomically
 * (written under a temporary name, then hard-linked into place, so an opener never sees a half-made file and two
 * processes creating the same channel agree on one file).
 *
 * <pre>
 *   0  int32  magic 'VELA'
 *   4  int32  kind (1 many-to-one ring, 2 broadcast)
 *   8  int32  layout version
 *  12  int32  capacity of the Agrona buffer (its trailer excluded)
 *  HEADER_LENGTH  the Agrona buffer, capacity + trailer bytes
 * </pre>
 */
final class IpcFile implements AutoCloseable {
    static final int HEADER_LENGTH = 128;
    static final int MAGIC = 0x56454C41;
    static final int KIND_RING = 1;
    static final int KIND_BROADCAST = 2;
    static final int LAYOUT_VERSION = 1;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer agrona;
    private final FileChannel roleLock;

    private IpcFile(Path path, MappedByteBuffer mapped, int agronaLength, FileChannel roleLock) {
        this.path = path;
        this.mapped = mapped;
        this.agrona = new UnsafeBuffer(mapped, HEADER_LENGTH, agronaLength);
        this.roleLock = roleLock;
    }

    /**
     * Maps the file like {@link #open(Path, int, int, int, boolean)}, holding the file's single {@code role} (the
     * ring's reader, the broadcast's publisher) until {@link #close()}: an OS lock on the sibling file
     * {@code .<name>.<role>-lock}, so a second holder in this or another process is refused, and a process that dies
     * releases it.
     *
     * @throws TransportException when another reader/publisher holds the role
     */
    static IpcFile openExclusive(Path path, int kind, int capacity, int trailerLength, String role) {
        FileChannel lock = lockRole(path, role);
        try {
            return open(path, kind, capacity, trailerLength, true, lock);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private static FileChannel lockRole(Path path, String role) {
        Path lockPath = path.resolveSibling("." + path.getFileName() + "." + role + "-lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (OverlappingFileLockException heldHere) {
            // held by another reader/publisher in this JVM
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TransportException("could not lock " + lockPath + " for the " + role + " of " + path + ": " + e,
                    e);
        }
        closeQuietly(ch);
        throw new TransportException(path + " already has a " + role + " (in this or another process; " + lockPath
                + " is locked): a " + (role.equals("reader") ? "channel has one reader" : "broadcast buffer has one "
                + "publisher") + "; close the other first");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
    }

    /**
     * Maps the file at {@code path}, creating it when absent.
     *
     * @param create when false, a missing file is an error instead of being created
     */
    static IpcFile open(Path path, int kind, int capacity, int trailerLength, boolean create) {
        return open(path, kind, capacity, trailerLength, create, null);
    }

    private static IpcFile open(Path path, int kind, int capacity, int trailerLength, boolean create,
            FileChannel roleLock) {
        int agronaLength = capacity + trailerLength;
        if (!Files.exists(path)) {
            if (!create) {
                throw new TransportException("no channel file at " + path);
            }
            createAtomically(path, kind, capacity, HEADER_LENGTH + agronaLength);
        }
        MappedByteBuffer mapped;
        try {
            mapped = IoUtil.mapExistingFile(path.toFile(), "vela ipc channel");
        } catch (RuntimeException e) {
            throw new TransportException("could not map " + path + ": " + e.getMessage(), e);
        }
        UnsafeBuffer header = new UnsafeBuffer(mapped, 0, Math.min(HEADER_LENGTH, mapped.capacity()));
        String problem = null;
        if (mapped.capacity() < HEADER_LENGTH || header.getIntVolatile(0) != MAGIC) {
            problem = "not a Vela channel file";
        } else if (header.getInt(4, ByteOrder.LITTLE_ENDIAN) != kind) {
            problem = "holds a " + kindName(header.getInt(4, ByteOrder.LITTLE_ENDIAN)) + ", not a " + kindName(kind);
        } else if (header.getInt(8, ByteOrder.LITTLE_ENDIAN) != LAYOUT_VERSION) {
            problem = "layout version " + header.getInt(8, ByteOrder.LITTLE_ENDIAN) + ", expected " + LAYOUT_VERSION;
        } else if (header.getInt(12, ByteOrder.LITTLE_ENDIAN) != capacity) {
            problem = "capacity " + header.getInt(12, ByteOrder.LITTLE_ENDIAN) + ", this side was configured with "
                    + capacity;
        } else if (mapped.capacity() != HEADER_LENGTH + agronaLength) {
            problem = "length " + mapped.capacity() + ", expected " + (HEADER_LENGTH + agronaLength);
        }
        if (problem != null) {
            IoUtil.unmap(mapped);
            throw new TransportException("channel file " + path + ": " + problem);
        }
        return new IpcFile(path, mapped, agronaLength, roleLock);
    }

    /** @return {@code transport.directory}/{@code name}, refusing a name that is not a plain file name */
    static Path inDirectory(VelaConfig config, String name, String what) {
        java.util.Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException(what + " name '" + name + "' is invalid; valid: a file name (no "
                    + "separators, not starting with '.')");
        }
        return Path.of(config.get(TransportSettings.DIRECTORY)).resolve(name);
    }

    private static void createAtomically(Path path, int kind, int capacity, int length) {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            MappedByteBuffer mapped = IoUtil.mapNewFile(tmp.toFile(), length, false);
            try {
                UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
                header.putInt(4, kind, ByteOrder.LITTLE_ENDIAN);
                header.putInt(8, LAYOUT_VERSION, ByteOrder.LITTLE_ENDIAN);
                header.putInt(12, capacity, ByteOrder.LITTLE_ENDIAN);
                header.putIntVolatile(0, MAGIC);
                mapped.force();
            } finally {
                IoUtil.unmap(mapped);
            }
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        } catch (IOException e) {
            throw new TransportException("could not create the channel file " + path + ": " + e, e);
        } finally {
            IoUtil.deleteIfExists(new File(tmp.toString()));
        }
    }

    private static String kindName(int kind) {
        return kind == KIND_RING ? "many-to-one ring" : kind == KIND_BROADCAST ? "broadcast buffer" : "kind " + kind;
    }

    Path path() {
        return path;
    }

    /** @return the Agrona buffer (capacity + trailer) */
    UnsafeBuffer buffer() {
        return agrona;
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
        closeQuietly(roleLock); // after the unmap: the next holder never overlaps this one
    }
}
