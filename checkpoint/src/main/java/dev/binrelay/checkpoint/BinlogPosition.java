package dev.binrelay.checkpoint;

import java.util.Objects;

/**
 * A place in the source's binary log: a file name and a byte offset in it (offsets in a file count from 4, after
 * the magic number), printed {@code binlog.000003:1234}.
 *
 * @param file     the binary log file name, as the source names it
 * @param position the byte offset in that file
 */
public record BinlogPosition(String file, long position) {

    /** Validates the components. */
    public BinlogPosition {
        Objects.requireNonNull(file, "file");
        if (file.isBlank()) {
            throw new IllegalArgumentException("binary log file name must not be blank");
        }
        if (position < 4) {
            throw new IllegalArgumentException("binary log position must be at least 4 (the first event of a file), "
                    + "got " + position + " in " + file);
        }
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
