/** GTID-set algebra and the checkpoint store on the target; depends on nothing else of binrelay's. */
module dev.binrelay.checkpoint {
    requires transitive java.sql;

    exports dev.binrelay.checkpoint;
}
