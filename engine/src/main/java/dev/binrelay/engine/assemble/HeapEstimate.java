package dev.binrelay.engine.assemble;

import dev.binrelay.engine.event.BinaryJson;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A rough count of the heap bytes a decoded change holds, to decide when a transaction is too large to keep whole.
 * It errs high: object headers and references are counted as on a 64-bit JVM without compressed pointers.
 */
final class HeapEstimate {
    private static final int OBJECT = 16;
    private static final int REFERENCE = 8;
    private static final int ROW_OVERHEAD = 3 * OBJECT + 6 * REFERENCE; // the change, two images, two bitsets

    private HeapEstimate() {
    }

    static long of(Change change) {
        if (change instanceof RowChange row) {
            return ROW_OVERHEAD + of(row.before()) + of(row.after());
        }
        return OBJECT + 2L * ((StatementChange) change).sql().length();
    }

    private static long of(Object[] image) {
        if (image == null) {
            return 0;
        }
        long bytes = OBJECT + (long) REFERENCE * image.length;
        for (Object value : image) {
            bytes += of(value);
        }
        return bytes;
    }

    private static long of(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof byte[] bytes) {
            return OBJECT + bytes.length;
        }
        if (value instanceof BinaryJson json) {
            return 2 * OBJECT + json.bytes().length;
        }
        if (value instanceof String text) {
            return 2 * OBJECT + 2L * text.length();
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            return 4 * OBJECT;
        }
        return OBJECT + REFERENCE; // boxed numbers
    }
}
