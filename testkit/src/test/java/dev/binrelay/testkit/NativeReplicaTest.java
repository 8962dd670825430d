package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MySQL's own replica set up, started by halves and awaited the way the benchmark and the filter test use it. */
class NativeReplicaTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().withTarget(() -> EmbeddedMySql.builder()
            .name("native-replica").gtid(true).option("--skip-replica-start=ON").option("--relay-log=relay").start());

    @Test
    void theReceiverFillsTheRelayLogAloneThenTheApplierCatchesUpToTheSource() throws Exception {
        NativeReplica replica = new NativeReplica(servers.target(), servers.source());
        replica.remove();
        replica.replaceGtidHistory(servers.sourceGtids());
        replica.configure();
        servers.onSource("CREATE DATABASE kit", "CREATE TABLE kit.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO kit.t VALUES (1, 1), (2, 2)", "UPDATE kit.t SET v = 5 WHERE id = 2");
        String written = servers.sourceGtids();
        try {
            replica.startReceiver();
            replica.awaitReceived(written, TIMEOUT);
            replica.stopReceiver();
            assertThat(servers.target().queryString("SELECT COUNT(*) FROM information_schema.schemata "
                    + "WHERE schema_name = 'kit'")).as("nothing applied by the receiver alone").isEqualTo("0");

            replica.startApplier(2);
            assertThat(replica.awaitApplied(written, TIMEOUT)).as("applied within %s", TIMEOUT).isTrue();
            assertThat(servers.targetChecksum("kit", "t")).isEqualTo(servers.sourceChecksum("kit", "t"));
        } finally {
            replica.remove();
        }
    }

    @Test
    void resettingTheBinaryLogsEmptiesTheGtidHistoryInTheStatementTheVersionKnows() {
        // the target logs no binlog, so its own writes take no GTID: give it a history the way a replica gets one
        servers.target().execute("SET GLOBAL gtid_purged = '+3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5'");
        assertThat(servers.target().gtidExecuted()).as("history before").contains("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");

        NativeReplica.resetBinaryLogs(servers.target());

        assertThat(servers.target().gtidExecuted()).isEmpty();
    }
}
