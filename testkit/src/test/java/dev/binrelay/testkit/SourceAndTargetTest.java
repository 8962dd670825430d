package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension itself: distinct servers of the asked kinds, each in its place; user schemas dropped between tests. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceAndTargetTest {
    private static final String USER_SCHEMAS = "SELECT COUNT(*) FROM information_schema.schemata "
            + "WHERE schema_name NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')";

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().withSecondTarget(EmbeddedMySql::startTarget)
            .withSecondSource(EmbeddedMySql::startSource);

    @Test
    @Order(1)
    void theSourceLogsWithGtidsTheTargetsDoNotAndChecksumsFollowWhatEachHolds() throws Exception {
        for (EmbeddedMySql source : List.of(servers.source(), servers.secondSource())) {
            assertThat(source.queryString("SELECT @@gtid_mode")).as("%s", source).isEqualTo("ON");
        }
        for (EmbeddedMySql target : List.of(servers.target(), servers.secondTarget())) {
            assertThat(target.queryString("SELECT @@log_bin")).as("%s", target).isEqualTo("0");
        }
        assertThat(Stream.of(servers.source(), servers.target(), servers.secondSource(), servers.secondTarget())
                .map(EmbeddedMySql::serverUuid).distinct()).hasSize(4);
        String before = servers.sourceGtids();
        String table = "CREATE TABLE kit.t (id INT PRIMARY KEY, v VARCHAR(10))";

        servers.onSource("CREATE DATABASE kit", table, "INSERT INTO kit.t VALUES (1, 'a'), (2, 'b')");
        servers.onTarget("CREATE DATABASE kit", table, "INSERT INTO kit.t VALUES (1, 'a'), (2, 'b')");
        servers.secondSource().execute("CREATE DATABASE kit2");
        servers.secondTarget().execute("CREATE DATABASE kit3");

        assertThat(servers.sourceGtids()).isNotEqualTo(before).startsWith(servers.source().serverUuid() + ":");
        assertThat(servers.sourceTables("kit")).containsExactly("t");
        assertThat(servers.sourceChecksum("kit", "t").rows()).isEqualTo(2);
        assertThat(servers.targetChecksum("kit", "t")).isEqualTo(servers.sourceChecksum("kit", "t"));
        servers.onTarget("UPDATE kit.t SET v = 'c' WHERE id = 2");
        assertThat(servers.targetChecksum("kit", "t")).isNotEqualTo(servers.sourceChecksum("kit", "t"));
    }

    @Test
    @Order(2)
    void theNextTestFindsNoUserSchemaOnAnyServer() {
        for (EmbeddedMySql server : List.of(servers.source(), servers.target(), servers.secondSource(),
                servers.secondTarget())) {
            assertThat(server.queryString(USER_SCHEMAS)).as("user schemas on %s", server).isEqualTo("0");
        }
    }

    @Test
    void aSecondServerThatWasNotAskedForIsRefused() {
        assertThatThrownBy(() -> SourceAndTarget.create().secondTarget()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("withSecondTarget");
        assertThatThrownBy(() -> SourceAndTarget.create().secondSource()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("withSecondSource");
    }
}
