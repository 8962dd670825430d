/**
 * The replica's engine: reads the binlog, assembles transactions, schedules and applies them in parallel through an
 * {@link dev.binrelay.engine.apply.Applier}. Exports the embedding API ({@code dev.binrelay.engine}), the event model
 * an applier reads ({@code event}) and the applier's service interface ({@code apply}); the stages themselves are
 * internal, open only to the modules named below.
 */
module dev.binrelay.engine {
    requires transitive dev.binrelay.checkpoint;
    requires transitive java.sql;
    requires mysql.binlog.connector.java;
    requires com.lmax.disruptor;
    requires org.slf4j;
    requires com.ibm.icu;
    requires com.github.luben.zstd_jni;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;

    exports dev.binrelay.engine;
    exports dev.binrelay.engine.event;
    exports dev.binrelay.engine.apply;
    // SQL analysis, TLS and MariaDB GTIDs, shared with the modules that talk to the target or the source themselves.
    exports dev.binrelay.engine.sql to dev.binrelay.applier;
    exports dev.binrelay.engine.tls to dev.binrelay.applier, dev.binrelay.snapshot, dev.binrelay.cli;
    exports dev.binrelay.engine.source to dev.binrelay.applier, dev.binrelay.cli;
    // The stages, for the JMH benchmarks and the differential tester only.
    exports dev.binrelay.engine.decode to dev.binrelay.benchmarks;
    exports dev.binrelay.engine.assemble to dev.binrelay.benchmarks;
    exports dev.binrelay.engine.schedule to dev.binrelay.benchmarks;
    exports dev.binrelay.engine.pipeline to dev.binrelay.benchmarks;
}
