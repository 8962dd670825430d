package dev.binrelay.cli.config;

import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.SchedulerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            source:
              host: db1.example.com
              user: repl
              serverId: 1001
            target:
              url: jdbc:mysql://db2.example.com:3306/
              user: binrelay
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("SOURCE_PW", "s3cr3t-from-env", "PORT", "3307",
            "SUFFIX", "example.com")::get);

    private BinrelayConfig parse(String yaml) {
        return loader.parse(yaml, "test.yaml");
    }

    private String problemsOf(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void minimalConfigGetsTheDefaults() {
        BinrelayConfig config = parse(MINIMAL);

        assertThat(config.source()).isEqualTo(new BinrelayConfig.Source("db1.example.com", 3306, "repl", "", 1001, "",
                5));
        assertThat(config.target()).isEqualTo(new BinrelayConfig.Target("jdbc:mysql://db2.example.com:3306/",
                "binrelay", ""));
        assertThat(config.applier()).isEqualTo(new BinrelayConfig.Applier(1, SchedulerKind.SERIAL, 1024, true,
                16, 25_000, 4L << 20, 64L << 20, 10, 30, Set.of()));
        assertThat(config.checkpoint()).isEqualTo(new BinrelayConfig.Checkpoint("binrelay", "default"));
        assertThat(config.progress()).isEqualTo(new BinrelayConfig.Progress(5));
        assertThat(config.http()).isEqualTo(new BinrelayConfig.Http("127.0.0.1", 0, "", 30));
        assertThat(config.http().enabled()).isFalse();
        assertThat(config.snapshot()).isEqualTo(BinrelayConfig.Snapshot.never());
    }

    @Test
    void httpKeysAreReadWithTheTokenFromTheEnvironmentAndNeverShown() {
        BinrelayConfig config = parse(MINIMAL + """
                http:
                  bind: 0.0.0.0
                  port: 8080
                  token: ${SOURCE_PW}
                  maxLagSeconds: 5
                """);

        assertThat(config.http()).isEqualTo(new BinrelayConfig.Http("0.0.0.0", 8080, "s3cr3t-from-env", 5));
        assertThat(config.http().enabled()).isTrue();
        assertThat(config.http().localUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.toString()).contains("0.0.0.0:8080", "token set").doesNotContain("s3cr3t-from-env");
    }

    @Test
    void httpPortMustBeAPortAndMaxLagNotNegative() {
        assertThat(problemsOf(MINIMAL + "http:\n  port: 0\n  maxLagSeconds: -1\n"))
                .contains("http.port must be between 1 and 65535, not 0",
                        "http.maxLagSeconds must be between 0 and 86400, not -1");
        assertThat(problemsOf(MINIMAL + "http:\n  port: 70000\n"))
                .contains("http.port must be between 1 and 65535, not 70000");
    }

    @Test
    void unquotedNumericTokenIsRejectedWithoutQuotingIt() {
        assertThat(problemsOf(MINIMAL + "http:\n  port: 8080\n  token: 98765\n"))
                .contains("key 'http.token' must be a quoted string").doesNotContain("98765");
    }

    @Test
    void snapshotKeysAreRead() {
        BinrelayConfig config = parse(MINIMAL + """
                snapshot:
                  mode: initial
                  schemas:
                    - shop
                    - crm_${PORT}
                  threads: 8
                  chunkRows: 5000
                """);

        assertThat(config.snapshot()).isEqualTo(new BinrelayConfig.Snapshot(BinrelayConfig.SnapshotMode.INITIAL,
                java.util.List.of("shop", "crm_3307"), 8, 5000));
    }

    @Test
    void snapshotKeysAreValidatedByKey() {
        String problems = problemsOf(MINIMAL + """
                snapshot:
                  mode: always
                  schemas: shop
                  threads: 0
                  chunkRows: many
                """);

        assertThat(problems).contains("snapshot.mode must be never or initial, not 'always'",
                "snapshot.schemas must be a list", "snapshot.threads must be between 1 and 64, not 0",
                "snapshot.chunkRows must be a whole number, not 'many'");
    }

    @Test
    void startGtidsAndAnInitialSnapshotExcludeEachOther() {
        String problems = problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startGtids: current")
                + "snapshot:\n  mode: initial\n");

        assertThat(problems).contains("source.startGtids and snapshot.mode: initial exclude each other");
        assertThat(parse(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startGtids: current")
                + "snapshot:\n  mode: never\n").snapshot().mode()).isEqualTo(BinrelayConfig.SnapshotMode.NEVER);
    }

    @Test
    void everyKeySetExplicitly() {
        BinrelayConfig config = parse("""
                source:
                  host: 10.0.0.5
                  port: 3310
                  user: repl
                  password: "0123"
                  serverId: 4294967295
                  startGtids: "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"
                  heartbeatSeconds: 30
                target:
                  url: jdbc:mysql://10.0.0.6:3306/?useSSL=false
                  user: binrelay
                  password: target-pw
                applier:
                  workers: 8
                  scheduler: WRITESET
                  ringSize: 4096
                  preserveCommitOrder: false
                  batchSize: 4
                  writesetHistory: 1000
                  largeTransactionBytes: 1048576
                  queueBytes: 33554432
                  retries: 3
                  stopTimeoutSeconds: 7
                  skipErrors: [1062, 1032]
                checkpoint:
                  schema: br_meta
                  channel: east_1
                progress:
                  intervalSeconds: 0
                """);

        assertThat(config.source()).isEqualTo(new BinrelayConfig.Source("10.0.0.5", 3310, "repl", "0123",
                4294967295L, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5", 30));
        assertThat(config.target().password()).isEqualTo("target-pw");
        assertThat(config.applier()).isEqualTo(new BinrelayConfig.Applier(8, SchedulerKind.WRITESET, 4096, false, 4,
                1000, 1L << 20, 32L << 20, 3, 7, Set.of(1032, 1062)));
        assertThat(config.applier().toString()).contains("skipErrors=[1032, 1062]");
        assertThat(config.checkpoint()).isEqualTo(new BinrelayConfig.Checkpoint("br_meta", "east_1"));
        assertThat(config.progress().intervalSeconds()).isZero();
    }

    @Test
    void positionModeWithAStartFileAndPosition() {
        BinrelayConfig.Position position = parse(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  mode: position"
                + "\n  startFile: binlog.000007\n  startPosition: 1234")).source().position();

        assertThat(position).isEqualTo(new BinrelayConfig.Position(SourceMode.POSITION, "binlog.000007", 1234));
        assertThat(parse(MINIMAL).source().position()).isEqualTo(BinrelayConfig.Position.AUTO);
        assertThat(parse(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startFile: binlog.000002")).source()
                .position().startPosition()).as("the file's first event").isEqualTo(4);
    }

    @Test
    void positionModeMistakesAreNamed() {
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  mode: binlog")))
                .contains("source.mode must be auto, gtid or position, not 'binlog'");
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startPosition: 120")))
                .contains("source.startPosition needs source.startFile");
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  mode: gtid\n  startFile: b.1")))
                .contains("source.startFile is for position mode, but source.mode is gtid");
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startFile: b.1\n  startPosition: 2")))
                .contains("source.startPosition must be at least 4");
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  mode: position")
                + "snapshot:\n  mode: initial\n")).contains("snapshot.mode: initial needs GTIDs");
    }

    @Test
    void startGtidsAcceptsCurrent() {
        assertThat(parse(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startGtids: current")).source()
                .startGtids()).isEqualTo("current");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        assertThat(problemsOf(MINIMAL.replace("  host: db1.example.com\n", "")))
                .isEqualTo("test.yaml: missing required key 'source.host'");
    }

    @Test
    void everyMissingRequiredKeyIsReportedAtOnce() {
        assertThat(problemsOf("source:\n  port: 3306\n"))
                .contains("5 problems")
                .contains("missing required key 'source.host'", "missing required key 'source.user'",
                        "missing required key 'source.serverId'", "missing required key 'target.url'",
                        "missing required key 'target.user'");
    }

    @Test
    void emptyValueOfARequiredKeyCountsAsMissing() {
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host:")))
                .contains("missing required key 'source.host'");
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host: \"  \"")))
                .contains("key 'source.host' must not be empty");
    }

    @Test
    void misspelledKeyIsRejectedWithASuggestion() {
        assertThat(problemsOf(MINIMAL.replace("  host:", "  hots:")))
                .contains("unknown key 'source.hots' (did you mean 'source.host'?)");
    }

    @Test
    void wrongCaseKeyIsRejectedWithASuggestion() {
        assertThat(problemsOf(MINIMAL.replace("serverId", "serverid")))
                .contains("unknown key 'source.serverid' (did you mean 'source.serverId'?)");
    }

    @Test
    void misspelledSectionIsRejectedWithASuggestionPerKey() {
        assertThat(problemsOf(MINIMAL + "applyer:\n  workers: 1\n"))
                .contains("unknown key 'applyer.workers' (did you mean 'applier.workers'?)");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneListsTheSection() {
        assertThat(problemsOf(MINIMAL + "  poolSize: 3\n"))
                .contains("unknown key 'target.poolSize' (keys of target: target.url, target.user, target.password, "
                        + "target.passwordFile, target.ssl.mode");
        assertThat(problemsOf(MINIMAL + "  sslMode: required\n"))
                .contains("unknown key 'target.sslMode' (did you mean 'target.ssl.mode'?)");
        assertThat(problemsOf(MINIMAL + "metrics:\n  port: 9090\n"))
                .contains("unknown key 'metrics.port' (sections: source, target, applier, checkpoint, progress, "
                        + "snapshot, http, filters)");
    }

    @Test
    void sectionGivenAsAValueIsRejected() {
        assertThat(problemsOf(MINIMAL + "progress: 5\n"))
                .contains("key 'progress' must be a mapping of progress.intervalSeconds");
    }

    @Test
    void keyGivenAsAMappingIsRejected() {
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host:\n    name: db1")))
                .contains("key 'source.host' must be a single value, not a mapping");
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host: [a, b]")))
                .contains("key 'source.host' must be a single value, not a list");
    }

    @Test
    void environmentVariablesAreExpandedInStringValues() {
        BinrelayConfig config = parse("""
                source:
                  host: db1.${SUFFIX}
                  port: ${PORT}
                  user: repl
                  password: ${SOURCE_PW}
                  serverId: 7
                target:
                  url: jdbc:mysql://db2.${SUFFIX}/
                  user: binrelay
                  password: literal-$${NOT_A_VARIABLE}
                """);

        assertThat(config.source().host()).isEqualTo("db1.example.com");
        assertThat(config.source().port()).isEqualTo(3307);
        assertThat(config.source().password()).isEqualTo("s3cr3t-from-env");
        assertThat(config.target().url()).isEqualTo("jdbc:mysql://db2.example.com/");
        assertThat(config.target().password()).isEqualTo("literal-${NOT_A_VARIABLE}");
    }

    @Test
    void missingEnvironmentVariableNamesTheVariableAndTheKey() {
        assertThat(problemsOf(MINIMAL.replace("user: binrelay", "user: binrelay\n  password: ${TARGET_PW}")))
                .isEqualTo("test.yaml: environment variable 'TARGET_PW' is not set (used by key 'target.password')");
    }

    @Test
    void brokenVariableReferenceNamesTheKey() {
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host: db-${OOPS")))
                .contains("key 'source.host': '${' without a closing '}'");
        assertThat(problemsOf(MINIMAL.replace("host: db1.example.com", "host: db-${1X}")))
                .contains("key 'source.host': '${1X}' is not a valid environment variable reference");
    }

    @Test
    void nonNumericNumberIsRejectedByKey() {
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  port: abc")))
                .contains("source.port must be a whole number, not 'abc'");
    }

    @Test
    void outOfRangeNumbersAreRejectedByKey() {
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 0\n  port: 70000\n"
                + "  heartbeatSeconds: 0")))
                .contains("source.serverId must be between 1 and 4294967295, not 0",
                        "source.port must be between 1 and 65535, not 70000",
                        "source.heartbeatSeconds must be between 1 and 4294967, not 0");
    }

    @Test
    void workersMustBePositive() {
        assertThat(problemsOf(MINIMAL + "applier:\n  workers: 0\n"))
                .contains("applier.workers must be between 1 and 1024, not 0");
    }

    @Test
    void everySchedulerIsAccepted() throws Exception {
        for (SchedulerKind kind : SchedulerKind.values()) {
            assertThat(parse(MINIMAL + "applier:\n  scheduler: " + kind.configName() + "\n").applier()
                    .scheduler()).isEqualTo(kind);
        }
    }

    @Test
    void preserveCommitOrderMustBeABoolean() {
        assertThat(problemsOf(MINIMAL + "applier:\n  preserveCommitOrder: maybe\n"))
                .contains("applier.preserveCommitOrder must be true or false, not 'maybe'");
    }

    @Test
    void unknownSchedulerListsTheValidValues() {
        assertThat(problemsOf(MINIMAL + "applier:\n  scheduler: fastest\n"))
                .contains("applier.scheduler: unknown scheduler 'fastest': use serial, database, logical_clock or "
                        + "writeset");
    }

    @Test
    void skipErrorsMustBeAListOfMySqlErrorCodes() {
        assertThat(problemsOf(MINIMAL + "applier:\n  skipErrors: [1062, 999, 70000, duplicate]\n"))
                .contains("3 problems", "applier.skipErrors: each number must be between 1000 and 65535, not 999",
                        "applier.skipErrors: each number must be between 1000 and 65535, not 70000",
                        "applier.skipErrors must be a list of whole numbers, not one holding 'duplicate'");
        assertThat(problemsOf(MINIMAL + "applier:\n  skipErrors: 1062\n"))
                .contains("applier.skipErrors must be a list of whole numbers, such as [1000], not '1062'");
    }

    private static String withIgnoreServerIds(String value) {
        return MINIMAL.replace("  serverId: 1001\n", "  serverId: 1001\n  ignoreServerIds: " + value + "\n");
    }

    @Test
    void ignoreServerIdsIsAbsentByDefaultAndAnEmptyListTurnsLoopPreventionOff() {
        assertThat(parse(MINIMAL).source().ignoreServerIds()).isNull(); // the target's own server_id
        assertThat(parse(withIgnoreServerIds("[]")).source().ignoreServerIds()).isEmpty();
        BinrelayConfig config = parse(withIgnoreServerIds("[2, 4294967295, 1, 2]"));
        assertThat(config.source().ignoreServerIds()).containsExactly(2L, 4294967295L, 1L);
        assertThat(config.source().toString()).contains("ignoreServerIds=[2, 4294967295, 1]");
    }

    @Test
    void ignoreServerIdsMustBeAListOfServerIdsAndAProblemNamesTheIndex() {
        assertThat(problemsOf(withIgnoreServerIds("[7, 0, 4294967296, two]")))
                .contains("3 problems",
                        "source.ignoreServerIds[1] must be between 1 and 4294967295, not 0",
                        "source.ignoreServerIds[2] must be between 1 and 4294967295, not 4294967296",
                        "source.ignoreServerIds[3] must be a whole number, not 'two'");
        assertThat(problemsOf(withIgnoreServerIds("2")))
                .contains("source.ignoreServerIds must be a list of whole numbers, such as [1], not '2'");
    }

    @Test
    void ringSizeMustBeAPowerOfTwo() {
        assertThat(problemsOf(MINIMAL + "applier:\n  ringSize: 1000\n"))
                .contains("applier.ringSize must be a power of two (such as 1024), not 1000");
    }

    @Test
    void invalidStartGtidsIsNamed() {
        assertThat(problemsOf(MINIMAL.replace("serverId: 1001", "serverId: 1001\n  startGtids: latest")))
                .contains("source.startGtids must be empty (everything the source has), 'current' or a GTID set");
    }

    @Test
    void checkpointNamesMustBePlainIdentifiers() {
        assertThat(problemsOf(MINIMAL + "checkpoint:\n  schema: my-schema\n  channel: \"a b\"\n"))
                .contains("checkpoint.schema must be 1 to 64 letters, digits, '_' or '$', not 'my-schema'",
                        "checkpoint.channel must be 1 to 64 letters, digits, '_' or '$', not 'a b'");
    }

    @Test
    void targetUrlMustBeAMysqlJdbcUrl() {
        assertThat(problemsOf(MINIMAL.replace("jdbc:mysql://db2.example.com:3306/", "mysql://db2?password=x")))
                .contains("target.url must be a MySQL JDBC URL starting with jdbc:mysql://")
                .doesNotContain("password=x");
    }

    @Test
    void passwordsNeverAppearInToString() {
        BinrelayConfig config = parse(MINIMAL.replace("user: repl", "user: repl\n  password: src-Pa55")
                .replace("jdbc:mysql://db2.example.com:3306/", "jdbc:mysql://db2/?password=url-Pa55")
                .replace("user: binrelay", "user: binrelay\n  password: tgt-Pa55"));

        assertThat(config.toString()).doesNotContain("Pa55").contains("repl@db1.example.com:3306", "binrelay@jdbc:"
                + "mysql://db2/");
        assertThat(config.source().toString()).doesNotContain("Pa55");
        assertThat(config.target().toString()).doesNotContain("Pa55");
    }

    @Test
    void unquotedNumericPasswordIsRejectedWithoutQuotingIt() {
        assertThat(problemsOf(MINIMAL.replace("user: repl", "user: repl\n  password: 0123456")))
                .contains("key 'source.password' must be a quoted string")
                .doesNotContain("0123456").doesNotContain("123456");
    }

    @Test
    void yamlSyntaxErrorGivesTheLocationButNotTheLine() {
        String message = problemsOf(MINIMAL.replace("user: repl", "user: repl\n  password: \"Pa55-unterminated"));

        assertThat(message).startsWith("test.yaml: not valid YAML at line").doesNotContain("Pa55");
    }

    @Test
    void duplicateKeyIsRejected() {
        assertThat(problemsOf(MINIMAL.replace("user: repl", "user: repl\n  user: other")))
                .contains("not valid YAML").contains("user");
    }

    @Test
    void emptyFileSaysWhatIsNeeded() {
        assertThat(problemsOf("")).contains("the file is empty: it needs at least source.host");
        assertThat(problemsOf("# only a comment\n")).contains("the file is empty");
    }

    @Test
    void topLevelListIsRejected() {
        assertThat(problemsOf("- source\n- target\n")).contains("the top level must be a mapping");
    }

    @Test
    void readsAFile(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("binrelay.yaml");
        Files.writeString(file, MINIMAL);

        assertThat(loader.read(file).source().host()).isEqualTo("db1.example.com");
    }

    @Test
    void missingFileIsNamed(@TempDir Path folder) {
        Path file = folder.resolve("nope.yaml");

        assertThatThrownBy(() -> loader.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage("config file " + file + " does not exist");
    }
}
