package dev.binrelay.engine.decode;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The library's {@link ByteArrayInputStream} over an event body already in memory, read by index. The library's own
 * {@code ByteArrayInputStream(byte[])} reads every byte through {@code java.io.ByteArrayInputStream.read()}, which
 * takes a lock per byte, and through two more calls that check its block; a rows event is decoded integer by integer
 * and cell by cell, so that was most of the reader thread's decoding time.
 *
 * <p>Every method of the library's stream is overridden with the library's semantics (little-endian integers, its
 * packed numbers, its bit sets, its end-of-data errors); the stream handed to the superclass is never read, and fails
 * loudly if a method added by a later library version reached it. One instance per event; not thread-safe.
 */
final class ArrayReader extends ByteArrayInputStream {
    private static final InputStream NEVER_READ = new InputStream() {
        @Override
        public int read() throws IOException {
            throw new IOException("binrelay's ArrayReader was read through a method it does not override");
        }
    };

    private final byte[] data;
    private final int start;
    private final int end;
    private int position;
    private int limit;
    private int mark;
    private boolean inBlock;

    ArrayReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** Reads {@code data[start, end)}. */
    ArrayReader(byte[] data, int start, int end) {
        super(NEVER_READ);
        if (start < 0 || end > data.length || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + ") of " + data.length + " bytes");
        }
        this.data = data;
        this.start = start;
        this.end = end;
        this.position = start;
        this.limit = end;
        this.mark = start;
    }

    /**
     * The next {@code length} bytes as a reader of their own, over the same array (nothing is copied); this reader
     * moves past them.
     */
    ArrayReader slice(int length) throws EOFException {
        require(length);
        ArrayReader slice = new ArrayReader(data, position, position + length);
        position += length;
        return slice;
    }

    /** The byte {@code offset} bytes after the current position, which does not move. */
    int byteAt(int offset) throws EOFException {
        if (offset < 0 || offset >= limit - position) {
            throw new EOFException(String.format("Failed to read the byte %d bytes after position %d", offset,
                    getPosition()));
        }
        return data[position + offset] & 0xFF;
    }

    /** Whether the next bytes are {@code expected}; the position does not move. */
    boolean nextBytesEqual(byte[] expected) {
        return expected.length <= limit - position
                && Arrays.equals(expected, 0, expected.length, data, position, position + expected.length);
    }

    /** A copy of the next {@code length} bytes; the position does not move. */
    byte[] copyOfNext(int length) throws EOFException {
        require(length);
        return Arrays.copyOfRange(data, position, position + length);
    }

    @Override
    public int read() throws IOException {
        if (position >= limit) {
            throw new EOFException(String.format("Failed to read next byte from position %d", getPosition()));
        }
        return data[position++] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (target == null) {
            throw new NullPointerException();
        } else if (offset < 0 || length < 0 || length > target.length - offset) {
            throw new IndexOutOfBoundsException();
        } else if (length == 0) {
            return 0;
        }
        if (position >= limit) {
            return -1;
        }
        int count = Math.min(length, limit - position);
        System.arraycopy(data, position, target, offset, count);
        position += count;
        return count;
    }

    @Override
    public byte[] read(int length) throws IOException {
        if (length >= 0) {
            require(length); // before allocating: a corrupt length must not allocate megabytes to fail
        }
        byte[] bytes = new byte[length];
        fill(bytes, 0, length);
        return bytes;
    }

    @Override
    public void fill(byte[] bytes, int offset, int length) throws IOException {
        require(length);
        System.arraycopy(data, position, bytes, offset, length);
        position += length;
    }

    @Override
    public int readInteger(int length) throws IOException {
        require(length);
        int result = 0;
        for (int i = 0; i < length; i++) {
            result |= (data[position++] & 0xFF) << (i << 3);
        }
        return result;
    }

    @Override
    public long readLong(int length) throws IOException {
        require(length);
        long result = 0;
        for (int i = 0; i < length; i++) {
            result |= (data[position++] & 0xFFL) << (i << 3);
        }
        return result;
    }

    @Override
    public String readString(int length) throws IOException {
        return new String(read(length));
    }

    @Override
    public String readLengthEncodedString() throws IOException {
        return readString(readPackedInteger());
    }

    @Override
    public String readZeroTerminatedString() throws IOException {
        int from = position;
        while (read() != 0) {
            // the terminator is consumed with the string
        }
        return new String(data, from, position - 1 - from);
    }

    /**
     * As the library: {@code (length + 7) / 8} bytes, bit i in byte {@code i / 8} of them taken in order when
     * {@code bigEndian}, else of them reversed; bit {@code i % 8} of that byte.
     */
    @Override
    public BitSet readBitSet(int length, boolean bigEndian) throws IOException {
        int bytes = (length + 7) >> 3;
        require(bytes);
        BitSet result = new BitSet();
        for (int i = 0; i < length; i++) {
            int index = bigEndian ? i >> 3 : bytes - 1 - (i >> 3);
            if ((data[position + index] & (1 << (i % 8))) != 0) {
                result.set(i);
            }
        }
        position += bytes;
        return result;
    }

    @Override
    public int readPackedInteger() throws IOException {
        Number number = readPackedNumber();
        if (number == null) {
            throw new IOException("Unexpected NULL where int should have been");
        }
        if (number.longValue() > Integer.MAX_VALUE) {
            throw new IOException("Stumbled upon long even though int expected");
        }
        return number.intValue();
    }

    @Override
    public long readPackedLong() throws IOException {
        Number number = readPackedNumber();
        if (number == null) {
            throw new IOException("Unexpected NULL where long should have been");
        }
        return number.longValue();
    }

    @Override
    public Number readPackedNumber() throws IOException {
        int b = read();
        if (b < 251) {
            return b;
        } else if (b == 251) {
            return null;
        } else if (b == 252) {
            return (long) readInteger(2);
        } else if (b == 253) {
            return (long) readInteger(3);
        } else if (b == 254) {
            return readLong(8);
        }
        throw new IOException("Unexpected packed number byte " + b);
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public int peek() {
        return position < limit ? data[position] & 0xFF : -1;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, limit - position));
        position += (int) skipped;
        return skipped;
    }

    @Override
    public long fastSkip(long n) {
        long skipped = skip(n);
        if (inBlock && position == limit) {
            limit = end; // the library leaves a block it skipped to the end of
            inBlock = false;
        }
        return skipped;
    }

    @Override
    public void close() {
        // nothing held
    }

    /** As the library: the next {@code length} bytes are the block; -1 (or less) ends it. */
    @Override
    public void enterBlock(int length) {
        inBlock = length >= 0;
        limit = inBlock ? Math.min(end, position + length) : end;
    }

    @Override
    public void skipToTheEndOfTheBlock() {
        if (inBlock) {
            position = limit;
            limit = end;
            inBlock = false;
        }
    }

    @Override
    public int getPosition() {
        return position - start;
    }

    @Override
    public void mark(int readLimit) {
        mark = position;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void reset() {
        position = mark;
    }

    private void require(int length) throws EOFException {
        if (length < 0 || length > limit - position) {
            throw new EOFException(String.format("Failed to read remaining %d of %d bytes from position %d",
                    Math.max(0, length - (limit - position)), length, getPosition()));
        }
    }
}
