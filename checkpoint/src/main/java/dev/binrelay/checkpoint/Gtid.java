package dev.binrelay.checkpoint;

import java.util.Objects;
import java.util.UUID;

/**
 * One global transaction identifier: the UUID of the server that first committed the transaction and that
 * transaction's sequence number there ({@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:23}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param sourceId      the originating server's {@code server_uuid}
 * @param transactionId the transaction's number on that server, from 1 to {@link #MAX_TRANSACTION_ID}
 */
public record Gtid(UUID sourceId, long transactionId) {

    /**
     * The largest transaction number accepted. One below {@link Long#MAX_VALUE}, as in MySQL, so that the number after
     * any transaction still fits in a {@code long} when intervals are merged.
     */
    public static final long MAX_TRANSACTION_ID = Long.MAX_VALUE - 1;

    /** Validates the components; throws {@link IllegalArgumentException} for a number out of range. */
    public Gtid {
        Objects.requireNonNull(sourceId, "sourceId");
        if (transactionId < 1 || transactionId > MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("transaction id must be between 1 and " + MAX_TRANSACTION_ID
                    + ", got " + transactionId + " for source " + sourceId);
        }
    }

    /**
     * Parses {@code uuid:number}; the UUID may be in any case and the text may have surrounding whitespace.
     *
     * @throws IllegalArgumentException quoting the text and saying what is wrong with it
     */
    public static Gtid parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.strip().split(":", -1);
        if (parts.length == 3 && GtidText.isTag(parts[1].strip())) {
            throw GtidText.taggedGtids(text);
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException("invalid GTID \"" + text + "\": expected <uuid>:<transaction id>");
        }
        UUID sourceId = GtidText.parseUuid(parts[0].strip(), text);
        String number = parts[1].strip();
        if (number.indexOf('-') >= 0) {
            throw new IllegalArgumentException("invalid GTID \"" + text
                    + "\": a single GTID has one transaction id, not a range");
        }
        return new Gtid(sourceId, GtidText.parseTransactionId(number, text));
    }

    /** The canonical text, {@code uuid:number} with a lowercase UUID. */
    @Override
    public String toString() {
        return sourceId + ":" + transactionId;
    }
}
