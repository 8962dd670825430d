package dev.binrelay.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.SchedulerKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code channels:} in a config file: inheritance from the top-level sections, and problems named by their path. */
class ChannelConfigsTest {
    private static final String SHARED = """
            target:
              url: jdbc:mysql://merged.example.com:3306/
              user: binrelay
            http:
              port: 8080
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    private String problemsOf(String yaml) {
        try {
            loader.parse(yaml, "test.yaml");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void eachChannelInheritsTheTopLevelSectionsAndOverridesThemKeyByKey() {
        BinrelayConfig config = loader.parse(SHARED + """
                source:
                  user: repl
                  port: 3307
                applier:
                  workers: 4
                  scheduler: writeset
                channels:
                  - name: shard1
                    source: {host: shard1.example.com, serverId: 1001}
                  - name: shard2
                    source: {host: shard2.example.com, serverId: 1002, port: 3308}
                    applier: {workers: 2}
                """, "test.yaml");

        assertThat(config.channels()).extracting(BinrelayConfig.Channel::name).containsExactly("shard1", "shard2");
        BinrelayConfig shard1 = config.channels().get(0).config();
        BinrelayConfig shard2 = config.channels().get(1).config();
        assertThat(shard1.source()).isEqualTo(new BinrelayConfig.Source("shard1.example.com", 3307, "repl", "", 1001,
                "", 5));
        assertThat(shard2.source()).isEqualTo(new BinrelayConfig.Source("shard2.example.com", 3308, "repl", "", 1002,
                "", 5));
        assertThat(shard1.applier().workers()).isEqualTo(4);
        assertThat(shard2.applier().workers()).isEqualTo(2);
        assertThat(shard2.applier().scheduler()).isEqualTo(SchedulerKind.WRITESET);
        assertThat(shard1.checkpoint()).isEqualTo(new BinrelayConfig.Checkpoint("binrelay", "shard1"));
        assertThat(shard2.checkpoint()).isEqualTo(new BinrelayConfig.Checkpoint("binrelay", "shard2"));
        assertThat(shard2.target()).isEqualTo(shard1.target());
        assertThat(shard2.http().port()).isEqualTo(8080);
        assertThat(config.effectiveChannels()).isEqualTo(config.channels());
    }

    @Test
    void withoutChannelsTheConfigIsItsOwnChannelNamedByCheckpointChannel() {
        BinrelayConfig config = loader.parse(SHARED + """
                source: {host: db1, user: repl, serverId: 7}
                checkpoint: {channel: east}
                """, "test.yaml");

        assertThat(config.channels()).isEmpty();
        assertThat(config.effectiveChannels()).containsExactly(new BinrelayConfig.Channel("east", config));
    }

    @Test
    void aChannelsProblemNamesTheKeyByItsPathInTheFile() {
        String problems = problemsOf(SHARED + """
                source: {user: repl, port: 99999}
                channels:
                  - name: shard1
                    source: {host: shard1, serverId: 1}
                  - name: shard2
                    source: {serverId: 2, hots: x}
                    applier: {workers: many}
                """);

        assertThat(problems)
                .contains("missing required key 'channels[1].source.host'")
                .contains("unknown key 'channels[1].source.hots'")
                .contains("channels[1].applier.workers must be a whole number, not 'many'")
                // an inherited value's problem is reported once, by its own path
                .contains("source.port must be between 1 and 65535, not 99999")
                .doesNotContain("channels[0].source.port").doesNotContain("channels[0].source.host");
        assertThat(problems.split("source.port must be", -1)).hasSize(2);
    }

    @Test
    void duplicateNamesAndServerIdsAreRejected() {
        String problems = problemsOf(SHARED + """
                source: {user: repl, serverId: 5}
                channels:
                  - name: shard1
                    source: {host: shard1}
                  - name: shard1
                    source: {host: shard2, serverId: 6}
                  - name: shard3
                    source: {host: shard3}
                """);

        assertThat(problems)
                .contains("channels[1].name: 'shard1' is also the name of channels[0]")
                .contains("channels[2].source.serverId: 5 is also the server id of channels[0]");
    }

    @Test
    void sharedSectionsInAChannelAndBadNamesAreRejected() {
        String problems = problemsOf(SHARED + """
                checkpoint: {channel: main}
                channels:
                  - name: shard-1
                    source: {host: shard1, user: repl, serverId: 1}
                    target: {url: jdbc:mysql://elsewhere/}
                  - source: {host: shard2, user: repl, serverId: 2}
                  - just a string
                """);

        assertThat(problems)
                .contains("checkpoint.channel and channels exclude each other")
                .contains("channels[0].name must be 1 to 64 letters, digits, '_' or '$', not 'shard-1'")
                .contains("unknown key 'channels[0].target' (a channel holds name, source, applier, filters, "
                        + "snapshot; target is shared by every channel: set it at the top level)")
                .contains("missing required key 'channels[1].name'")
                .contains("channels[2] must be a mapping of name, source, applier, filters, snapshot");
    }

    @Test
    void initialSnapshotIsRefusedWithChannels() {
        String problems = problemsOf(SHARED + """
                channels:
                  - name: shard1
                    source: {host: shard1, user: repl, serverId: 1}
                    snapshot: {mode: initial}
                """);

        assertThat(problems).contains("channels[0].snapshot.mode: initial is not supported with channels");
    }

    @Test
    void anEmptyChannelListIsRejected() {
        assertThat(problemsOf(SHARED + "channels: []\n")).contains("channels must be a list of at least one channel");
    }
}
