/**
 * The {@code binrelay} command and daemon: picocli commands ({@code command}), the YAML configuration
 * ({@code config}) and the running daemon with its HTTP status, control and metrics ({@code daemon}). Exports its
 * entry point; the configuration and the replica factory are open to the developers' tools (demo, bench, fuzz) only.
 */
module dev.binrelay.cli {
    requires dev.binrelay.applier;
    requires dev.binrelay.snapshot;
    requires dev.binrelay.verify;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.slf4j;
    requires jul.to.slf4j;
    requires java.logging;
    requires java.net.http;
    requires jdk.httpserver;

    exports dev.binrelay.cli;
    // devtools (demo, bench, fuzz; on the class path today) builds replicas from a configuration as the daemon does.
    exports dev.binrelay.cli.config to dev.binrelay.devtools;
    exports dev.binrelay.cli.daemon to dev.binrelay.devtools;
    // picocli reads the commands' annotated fields and methods reflectively.
    opens dev.binrelay.cli to info.picocli;
    opens dev.binrelay.cli.command to info.picocli;
}
