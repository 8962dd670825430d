package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time (user and system) a server's {@code mysqld} process spent over one phase, read from
 * {@code /proc/<pid>/stat}: what applying cost the target itself, beside what it cost binrelay's JVM. The server must
 * keep running through the phase (a restart would start a new process).
 */
final class ServerCpu {
    /** Linux reports process times in USER_HZ ticks, 100 per second on every architecture it runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path stat;
    private final long ticksAtStart;

    private ServerCpu(Path stat) {
        this.stat = stat;
        this.ticksAtStart = ticks(stat);
    }

    /** Starts measuring the running server; its process id comes from the pid file testkit has it write. */
    static ServerCpu start(EmbeddedMySql server) {
        Path pidFile = server.directory().resolve("mysqld.pid");
        try {
            String pid = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return new ServerCpu(Path.of("/proc", pid, "stat"));
        } catch (IOException e) {
            throw new IllegalStateException(server + ": cannot read its process id from " + pidFile, e);
        }
    }

    /** CPU time the process spent since the start, in nanoseconds. */
    long nanos() {
        return (ticks(stat) - ticksAtStart) * NANOS_PER_TICK;
    }

    /** utime + stime, the 14th and 15th fields; the command name (field 2, in parentheses) may hold spaces. */
    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state, the 3rd field of the line: utime is the 14th, so fields[11].
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the process times in " + stat, e);
        }
    }
}
