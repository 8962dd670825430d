package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.PositionAnchors;

/**
 * What {@link JdbcApplier} shares with each of its workers: the target's pool, its table catalog, the checkpoint
 * tables, the settings and the resume state. The workers get this, not the applier.
 *
 * @param pool       the target's connection pool
 * @param catalog    the target's table shapes, shared by all workers
 * @param checkpoint the GTID checkpoint table
 * @param ddlMarker  the note of a DDL in progress
 * @param anchors    the position checkpoint table (position mode)
 * @param settings   where the target is and how to write to it ({@code applier.skipErrors})
 * @param resume     the pending DDL and the idempotent window
 */
record SharedTarget(HikariDataSource pool, TableCatalog catalog, CheckpointStore checkpoint, DdlMarker ddlMarker,
                    PositionAnchors anchors, TargetSettings settings, ResumeState resume) {
}
