package dev.binrelay.engine.source;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;

/**
 * The library's binlog client without its own GTID bookkeeping, which binrelay does not use: it reconnects itself
 * (keep-alive off, see {@link BinlogSource}) from the GTIDs it received, given to {@link #setGtidSet} before each
 * connection. The bookkeeping would decode every GTID, QUERY, ANNOTATE_ROWS and MariaDB GTID event a second time
 * with the library's own decoders (wrapping binrelay's) and add each transaction's GTID to a set of its own: work
 * the reader thread does once per transaction for nothing.
 */
final class SourceClient extends BinaryLogClient {
    SourceClient(String host, int port, String user, String password) {
        super(host, port, user, password);
    }

    /** The library's decoders are not put in front of binrelay's. */
    @Override
    protected void ensureGtidEventDataDeserializer() {
    }

    /** Nor does the client follow the GTIDs it reads. */
    @Override
    protected void updateGtidSet(Event event) {
    }
}
