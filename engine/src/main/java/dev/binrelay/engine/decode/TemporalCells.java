package dev.binrelay.engine.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Decodes temporal cells of row events into MySQL literals, exactly: zero and partly-zero dates, negative and
 * over-24-hour TIME, and all six fractional digits survive (the library's java.util.Date path loses all of them).
 * TIMESTAMP values come out in UTC; the applier's session runs with {@code time_zone='+00:00'}.
 *
 * <p>Stateless and thread-safe. Layouts follow MySQL's {@code my_time.cc} (big-endian "mi_" byte order for the
 * *2 types).
 */
final class TemporalCells {
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private TemporalCells() {
    }

    /** Whether {@link #decode} handles this column type. */
    static boolean handles(ColumnType type) {
        return switch (type) {
            case DATE, TIME, TIME_V2, DATETIME, DATETIME_V2, TIMESTAMP, TIMESTAMP_V2, YEAR -> true;
            default -> false;
        };
    }

    static Serializable decode(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in.readInteger(3));
            case YEAR -> {
                int year = in.readInteger(1);
                yield year == 0 ? 0 : 1900 + year;
            }
            case DATETIME_V2 -> datetime2(bigEndian(in, 5), fraction(meta, in), meta);
            case TIMESTAMP_V2 -> timestamp(bigEndian(in, 4), fraction(meta, in), meta);
            case TIME_V2 -> time2(meta, in);
            case DATETIME -> datetimeV1(in.readLong(8));
            case TIMESTAMP -> timestamp(in.readLong(4), 0, 0);
            case TIME -> timeV1(in.readInteger(3));
            default -> throw new IllegalArgumentException("not a temporal type: " + type);
        };
    }

    private static String date(int packed) {
        int day = packed & 31;
        int month = (packed >>> 5) & 15;
        int year = packed >>> 9;
        return pad(year, 4) + '-' + pad(month, 2) + '-' + pad(day, 2);
    }

    private static String datetime2(long raw, int micros, int fsp) {
        long ymdhms = raw - DATETIMEF_INT_OFS; // the 5-byte part holds no fraction
        int second = (int) (ymdhms & 63);
        int minute = (int) ((ymdhms >> 6) & 63);
        int hour = (int) ((ymdhms >> 12) & 31);
        int day = (int) ((ymdhms >> 17) & 31);
        int yearMonth = (int) ((ymdhms >> 22) & 0x1FFFF);
        return pad(yearMonth / 13, 4) + '-' + pad(yearMonth % 13, 2) + '-' + pad(day, 2) + ' ' + pad(hour, 2) + ':'
                + pad(minute, 2) + ':' + pad(second, 2) + fractionText(micros, fsp);
    }

    private static String timestamp(long epochSeconds, int micros, int fsp) {
        if (epochSeconds == 0 && micros == 0) {
            return "0000-00-00 00:00:00" + fractionText(0, fsp);
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        return pad(utc.getYear(), 4) + '-' + pad(utc.getMonthValue(), 2) + '-' + pad(utc.getDayOfMonth(), 2) + ' '
                + pad(utc.getHour(), 2) + ':' + pad(utc.getMinute(), 2) + ':' + pad(utc.getSecond(), 2)
                + fractionText(micros, fsp);
    }

    private static String time2(int fsp, ByteArrayInputStream in) throws IOException {
        long packed; // MySQL's "packed time": int part << 24 | microseconds, signed
        switch (fsp) {
            case 1, 2 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                long frac = bigEndian(in, 1);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10000;
            }
            case 3, 4 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                long frac = bigEndian(in, 2);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
            }
            case 5, 6 -> packed = bigEndian(in, 6) - TIMEF_OFS;
            default -> packed = (bigEndian(in, 3) - TIMEF_INT_OFS) << 24;
        }
        boolean negative = packed < 0;
        long magnitude = Math.abs(packed);
        long hms = magnitude >> 24;
        int micros = (int) (magnitude % (1L << 24));
        int hour = (int) ((hms >> 12) % (1 << 10));
        int minute = (int) ((hms >> 6) % (1 << 6));
        int second = (int) (hms % (1 << 6));
        return (negative ? "-" : "") + pad(hour, 2) + ':' + pad(minute, 2) + ':' + pad(second, 2)
                + fractionText(micros, fsp);
    }

    private static String datetimeV1(long value) {
        long date = value / 1000000;
        long time = value % 1000000;
        return pad((int) (date / 10000), 4) + '-' + pad((int) (date / 100 % 100), 2) + '-' + pad((int) (date % 100), 2)
                + ' ' + pad((int) (time / 10000), 2) + ':' + pad((int) (time / 100 % 100), 2) + ':'
                + pad((int) (time % 100), 2);
    }

    private static String timeV1(int raw) {
        int value = (raw << 8) >> 8; // sign-extend 24 bits
        boolean negative = value < 0;
        int magnitude = Math.abs(value);
        return (negative ? "-" : "") + pad(magnitude / 10000, 2) + ':' + pad(magnitude / 100 % 100, 2) + ':'
                + pad(magnitude % 100, 2);
    }

    private static int fraction(int fsp, ByteArrayInputStream in) throws IOException {
        int length = (fsp + 1) / 2;
        if (length == 0) {
            return 0;
        }
        int value = (int) bigEndian(in, length);
        return value * (int) Math.pow(100, 3 - length);
    }

    private static String fractionText(int micros, int fsp) {
        if (fsp <= 0) {
            return "";
        }
        return '.' + pad(micros, 6).substring(0, Math.min(fsp, 6));
    }

    private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
        byte[] bytes = in.read(length);
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    private static String pad(long value, int width) {
        String text = Long.toString(value);
        if (text.length() >= width) {
            return text;
        }
        return "0".repeat(width - text.length()) + text;
    }
}
