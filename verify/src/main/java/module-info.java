/**
 * Compares a target with its source chunk by chunk, at the GTID set the target's checkpoint names:
 * {@link dev.binrelay.verify.Verifier} and its report. Plain JDBC over the schema module's table shapes.
 */
module dev.binrelay.verify {
    requires transitive dev.binrelay.checkpoint;
    requires dev.binrelay.schema;
    requires org.slf4j;

    exports dev.binrelay.verify;
}
