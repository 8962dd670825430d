package dev.binrelay.benchmarks.differential;

import dev.binrelay.engine.SchedulerKind;
import java.util.List;
import java.util.Random;

/**
 * How binrelay applies in one round: scheduler, commit order, batch size and workers.
 *
 * @param scheduler           {@code applier.scheduler}
 * @param preserveCommitOrder {@code applier.preserveCommitOrder}
 * @param batchSize           {@code applier.batchSize}
 * @param workers             {@code applier.workers} (1 for serial)
 */
record RunConfiguration(SchedulerKind scheduler, boolean preserveCommitOrder, int batchSize, int workers) {
    private static final List<Integer> BATCH_SIZES = List.of(1, 4, 16, 64);
    /** A parallel scheduler on one worker is the serial case: rounds draw it rarely. */
    private static final List<Integer> WORKERS = List.of(1, 2, 2, 4, 4, 8, 8);

    /**
     * The configuration of the round with this seed. Scheduler and commit order come from the seed's low three bits
     * (so any eight consecutive seeds cover every scheduler in both commit-order modes); batch size and workers are
     * drawn from the seed.
     */
    static RunConfiguration forSeed(long seed) {
        SchedulerKind[] schedulers = SchedulerKind.values();
        int slot = (int) Math.floorMod(seed, 8L);
        SchedulerKind scheduler = schedulers[slot % schedulers.length];
        boolean preserve = slot < schedulers.length;
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        int batch = BATCH_SIZES.get(random.nextInt(BATCH_SIZES.size()));
        int workers = scheduler == SchedulerKind.SERIAL ? 1 : WORKERS.get(random.nextInt(WORKERS.size()));
        return new RunConfiguration(scheduler, preserve, batch, workers);
    }

    /** {@code writeset/ordered/batch16/workers4}: a compact name for the round line and the totals. */
    String label() {
        return scheduler.configName() + "/" + (preserveCommitOrder ? "ordered" : "relaxed") + "/batch" + batchSize
                + "/workers" + workers;
    }
}
