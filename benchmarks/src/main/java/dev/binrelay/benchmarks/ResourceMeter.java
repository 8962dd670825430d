package dev.binrelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * This JVM's heap peak and CPU time over one phase in which it runs nothing but binrelay (the harness only waits):
 * peaks are reset (after a collection, so that the load generator's garbage does not count) when the phase starts.
 * The peak is the sum of each heap pool's own peak, which may come from different moments: an upper bound.
 */
final class ResourceMeter {
    private final long cpuAtStart;

    private ResourceMeter() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        this.cpuAtStart = processCpuNanos();
    }

    static ResourceMeter start() {
        return new ResourceMeter();
    }

    /** Heap used at its peak since the start, summed over the heap pools. */
    long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** CPU time of the whole process since the start. */
    long cpuNanos() {
        return processCpuNanos() - cpuAtStart;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0; // not a HotSpot-style JVM: reported as 0
    }
}
