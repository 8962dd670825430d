package dev.binrelay.engine.source;

import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * MariaDB GTIDs ({@code domain-server-sequence}) in binrelay's {@code uuid:number} form, so that the checkpoint, the
 * duplicate check and the status work unchanged: {@code D-S-N} is the GTID {@code U:N} where U is a synthetic UUID
 * made of the prefix {@code 6d617269} ("mari" in ASCII), the domain id in the next 32 bits and the server id in the
 * last 64: {@code 0-7-42} is {@code 6d617269-0000-0000-0000-000000000007:42}.
 *
 * <p>Where to resume: MariaDB streams from a position, one GTID per domain, not from a set. For each domain the
 * intervals of all its UUIDs are merged; the reader resumes after the end of the run that begins at the domain's
 * lowest number. Transactions after it that were applied already (parallel workers leave gaps) arrive again and are
 * dropped as duplicates.
 */
public final class MariaDbGtids {
    /** "mari" in ASCII, in the first 32 bits of every synthetic UUID. */
    private static final long PREFIX = 0x6d617269_00000000L;
    private static final long PREFIX_MASK = 0xffffffff_00000000L;
    private static final Pattern POSITION = Pattern.compile("\\d{1,10}-\\d{1,10}-\\d{1,20}(\\s*,\\s*\\d{1,10}-\\d{1,10}-\\d{1,20})*");

    private MariaDbGtids() {
    }

    /** The GTID standing for MariaDB's {@code domain-serverId-sequence}. */
    public static Gtid gtid(long domain, long serverId, long sequence) {
        return new Gtid(uuid(domain, serverId), sequence);
    }

    /** The synthetic UUID of a (domain, server id) pair. */
    public static UUID uuid(long domain, long serverId) {
        return new UUID(PREFIX | (domain & 0xffffffffL), serverId);
    }

    /** Whether a UUID is a synthetic one of {@link #uuid}. */
    public static boolean isMariaDb(UUID sourceId) {
        return (sourceId.getMostSignificantBits() & PREFIX_MASK) == PREFIX;
    }

    /** Whether a text is a MariaDB GTID position such as {@code 0-1-42,1-1-7}. */
    public static boolean isPosition(String text) {
        return POSITION.matcher(text.strip()).matches();
    }

    /**
     * The set a MariaDB GTID position stands for: in each domain, every number up to the position's (MariaDB's
     * sequence numbers in a domain only grow), all credited to the position's server id.
     */
    public static GtidSet fromPosition(String position) {
        GtidSet set = GtidSet.empty();
        if (position == null || position.isBlank()) {
            return set;
        }
        if (!isPosition(position)) {
            throw new IllegalArgumentException("invalid MariaDB GTID position \"" + position
                    + "\": expected domain-server-sequence, comma separated");
        }
        for (String entry : position.split(",")) {
            String[] parts = entry.strip().split("-");
            UUID uuid = uuid(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            long sequence = Long.parseLong(parts[2]);
            if (sequence > 0) {
                set = set.union(GtidSet.parse(uuid + ":1-" + sequence));
            }
        }
        return set;
    }

    /**
     * The MariaDB position to resume reading after (see the class comment), or the set's own text if it holds no
     * MariaDB GTID: what the binlog client's {@code setGtidSet} takes for either flavor.
     */
    public static String dumpPosition(GtidSet applied) {
        Map<Long, List<UUID>> domains = new TreeMap<>();
        for (UUID sourceId : applied.sourceIds()) {
            if (isMariaDb(sourceId)) {
                domains.computeIfAbsent(domain(sourceId), d -> new ArrayList<>()).add(sourceId);
            }
        }
        if (domains.isEmpty()) {
            return applied.toString();
        }
        StringJoiner position = new StringJoiner(",");
        for (Map.Entry<Long, List<UUID>> domain : domains.entrySet()) {
            long end = contiguousEnd(applied, domain.getValue());
            UUID holder = domain.getValue().stream()
                    .filter(u -> applied.contains(new Gtid(u, end))).findFirst().orElseThrow();
            position.add(domain.getKey() + "-" + Long.toUnsignedString(holder.getLeastSignificantBits()) + "-" + end);
        }
        return position.toString();
    }

    /** The end of the run of numbers that starts at the lowest one held by any of a domain's UUIDs. */
    private static long contiguousEnd(GtidSet applied, List<UUID> sourceIds) {
        List<Interval> intervals = new ArrayList<>();
        for (UUID sourceId : sourceIds) {
            intervals.addAll(applied.intervals(sourceId));
        }
        intervals.sort((a, b) -> Long.compare(a.start(), b.start()));
        long end = intervals.get(0).end();
        for (Interval interval : intervals) {
            if (interval.start() > end + 1) {
                break;
            }
            end = Math.max(end, interval.end());
        }
        return end;
    }

    private static long domain(UUID sourceId) {
        return sourceId.getMostSignificantBits() & 0xffffffffL;
    }

    /**
     * A MariaDB GTID event as the MySQL GTID event the assembler reads: no {@code last_committed} or
     * {@code sequence_number} (MariaDB has none: only the writeset, database and serial schedulers apply), and the
     * event's timestamp as the commit time. The server id comes from the header: the library leaves it unset in the
     * event data it hands on.
     */
    public static GtidEventData asGtidEvent(MariadbGtidEventData data, EventHeader header) {
        Gtid gtid = gtid(data.getDomainId(), header.getServerId(), data.getSequence());
        long commitMicros = header.getTimestamp() * 1000;
        return new GtidEventData(new MySqlGtid(gtid.sourceId(), gtid.transactionId()), (byte) 0, 0, 0, commitMicros,
                commitMicros, 0, 0, 0);
    }

    /**
     * Whether a MariaDB GTID event opens a single statement without BEGIN (DDL, FL_STANDALONE) rather than a
     * transaction ending at XID or COMMIT; in MariaDB's binlog the GTID event itself stands for BEGIN.
     */
    public static boolean standalone(MariadbGtidEventData data) {
        return (data.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0;
    }
}
