/**
 * Copies a source's tables to the target at one consistent GTID set and hands over to the stream:
 * {@link dev.binrelay.snapshot.Snapshot} and its result. Writes through the applier's target settings.
 */
module dev.binrelay.snapshot {
    requires transitive dev.binrelay.applier;
    requires dev.binrelay.schema;
    requires org.slf4j;

    exports dev.binrelay.snapshot;
}
