package dev.binrelay.cli.daemon;

import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.snapshot.Snapshot;
import java.time.Duration;

/**
 * Wires a {@link Replica} (source settings, JDBC applier, pipeline sizes) and a {@link Snapshot} from a
 * {@link BinrelayConfig}.
 */
public final class ReplicaFactory {
    private ReplicaFactory() {
    }

    /**
     * A replica for {@code config}, not yet started. Connects to nothing.
     *
     * @throws ConfigException when the engine or applier refuses a value (such as {@code applier.workers} greater
     *                         than the scheduler supports); the engine's message names the key
     */
    public static Replica create(BinrelayConfig config) {
        return create(config, applier(config));
    }

    /** The JDBC applier for {@code config}'s target; connects to nothing. */
    public static JdbcApplier applier(BinrelayConfig config) {
        return applier(config, null);
    }

    /**
     * The JDBC applier for {@code config}'s target whose connection pool reports to {@code poolMetrics} (null for
     * none); connects to nothing.
     */
    public static JdbcApplier applier(BinrelayConfig config, MetricsTrackerFactory poolMetrics) {
        TargetSettings settings = targetSettings(config);
        try {
            return new JdbcApplier(settings, poolMetrics);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** A replica for {@code config} applying through {@code applier}; see {@link #create(BinrelayConfig)}. */
    public static Replica create(BinrelayConfig config, JdbcApplier applier) {
        try {
            // Sizes first: they are the values the engine is likeliest to refuse, before anything else is built.
            Replica.Builder builder = Replica.builder()
                    .workers(config.applier().workers())
                    .ringSize(config.applier().ringSize())
                    .scheduler(config.applier().scheduler())
                    .preserveCommitOrder(config.applier().preserveCommitOrder())
                    .batchSize(config.applier().batchSize())
                    .writesetHistory(config.applier().writesetHistory())
                    .largeTransactionBytes(config.applier().largeTransactionBytes())
                    .queueBytes(config.applier().queueBytes())
                    .retries(config.applier().retries())
                    .stopTimeout(Duration.ofSeconds(config.applier().stopTimeoutSeconds()))
                    .filter(config.filters().toFilter())
                    .ignoreServerIds(config.source().ignoreServerIds());
            BinrelayConfig.Position position = config.source().position();
            builder.mode(position.mode()).startPosition(position.startFile().isEmpty() ? null
                    : new BinlogPosition(position.startFile(), position.startPosition()));
            return builder.source(sourceSettings(config))
                    .applier(applier)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The source as {@code config} describes it. */
    public static SourceSettings sourceSettings(BinrelayConfig config) {
        BinrelayConfig.Source source = config.source();
        try {
            return SourceSettings.builder(source.host(), source.port()).user(source.user())
                    .password(source.password()).serverId(source.serverId()).startGtids(source.startGtids())
                    .heartbeat(Duration.ofSeconds(source.heartbeatSeconds())).tls(source.tls()).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The copy {@code snapshot.*} describes, from the config's source to its target; connects to nothing. */
    public static Snapshot snapshot(BinrelayConfig config) {
        BinrelayConfig.Snapshot snapshot = config.snapshot();
        try {
            return Snapshot.builder().source(sourceSettings(config)).target(targetSettings(config))
                    .schemas(snapshot.schemas()).filter(config.filters().toFilter())
                    .threads(snapshot.threads()).chunkRows(snapshot.chunkRows())
                    .progressInterval(Duration.ofSeconds(config.progress().intervalSeconds())).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The applier's settings for {@code config}: the target, the checkpoint and {@code applier.skipErrors}.
     *
     * @throws ConfigException when the applier refuses a value; its message names the key
     */
    public static TargetSettings targetSettings(BinrelayConfig config) {
        BinrelayConfig.Target target = config.target();
        try {
            return new TargetSettings(target.url(), target.user(), target.password(), config.checkpoint().schema(),
                    config.checkpoint().channel(), config.applier().skipErrors(), target.tls(),
                    target.requireReadOnly());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
