package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.config.ConfigLoader;
import dev.binrelay.cli.daemon.LogTarget;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.engine.tls.ConnectorJTls;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.verify.Verifier;
import dev.binrelay.verify.VerifyException;
import dev.binrelay.verify.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay verify --config FILE}: compares the source and the target of a replica in primary-key chunks while
 * it runs, and exits 0 only when they hold the same rows.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Compare source and target table by table in primary-key chunks, while binrelay replicates.",
                "Each chunk is checksummed on the source under a short lock, then on the target once it has "
                        + "applied everything the source had; differing chunks are compared row by row.",
                "Uses source.*, target.*, checkpoint.* and filters.* of the config (tables the filters leave out "
                        + "are not compared; a rewritten database is compared under its target name); the source "
                        + "user needs SELECT on the verified tables."},
        footer = {"", "Exit codes: 0 identical, 1 a difference or a chunk that could not be verified (or a server "
                + "unreachable), 2 bad configuration or usage."})
public final class VerifyCommand implements Callable<Integer> {
    private static final int MAX_WAIT_SECONDS = 86_400;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file of the replica.")
    private Path configFile;

    @Option(names = "--tables", split = ",", paramLabel = "SCHEMA.TABLE",
            description = "Only these source tables: schema.table patterns, % matching any characters, such as "
                    + "shop.orders,crm.% (default: every table outside MySQL's own schemas that the filters keep).")
    private List<String> tables = List.of();

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "" + Verifier.DEFAULT_CHUNK_ROWS,
            description = "Rows per chunk (default: ${DEFAULT-VALUE}).")
    private int chunkRows;

    @Option(names = "--max-wait-seconds", paramLabel = "S", defaultValue = "30",
            description = "How long a chunk waits for the target to apply the source's transactions before it is "
                    + "reported as not verified (default: ${DEFAULT-VALUE}).")
    private int maxWaitSeconds;

    @Option(names = "--json", description = "Print the report as JSON instead of text.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (chunkRows < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-rows must be at least 1, not " + chunkRows);
        }
        if (maxWaitSeconds < 0 || maxWaitSeconds > MAX_WAIT_SECONDS) {
            throw new ParameterException(spec.commandLine(), "--max-wait-seconds must be 0 to " + MAX_WAIT_SECONDS
                    + ", not " + maxWaitSeconds);
        }
        PrintWriter err = spec.commandLine().getErr();
        Verifier verifier;
        try {
            verifier = verifier(ConfigLoader.load(configFile));
        } catch (ConfigException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        }
        // The report is the product on stdout; progress goes to the log, on stderr, so that --json stays parseable.
        LogTarget.useStandardError();
        VerifyReport report;
        try {
            report = verifier.verify();
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG); // a --tables pattern matching no table
        } catch (VerifyException e) {
            return fail(err, e.getMessage(), ExitCodes.FAILED);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            VerifyReportPrinter.printJson(report, out);
        } else {
            VerifyReportPrinter.printText(report, out);
        }
        out.flush();
        return report.identical() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Verifier verifier(BinrelayConfig config) {
        BinrelayConfig.Source source = config.source();
        SourceSettings sourceSettings = ReplicaFactory.sourceSettings(config);
        BinrelayConfig.Target target = config.target();
        ReplicationFilter filter = config.filters().toFilter();
        try {
            return Verifier.builder()
                    // As the replica's own source checks connect (see SourceChecks).
                    .source(sourceSettings.jdbcUrl(), source.user(), source.password(),
                            sourceSettings.jdbcProperties())
                    .target(target.url(), target.user(), target.password(), target.tls() == null ? new Properties()
                            : ConnectorJTls.properties(target.tls(), "target.ssl"))
                    .checkpoint(config.checkpoint().schema(), config.checkpoint().channel())
                    // Tables the filters leave out are not on the target by design; kept ones sit in the
                    // rewritten database.
                    .replicatedTables(filter::keepsTable)
                    .targetDatabase(filter::targetDatabase)
                    .tables(tables)
                    .chunkRows(chunkRows)
                    .maxWait(Duration.ofSeconds(maxWaitSeconds))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()); // a malformed --tables pattern
        }
    }

    private static int fail(PrintWriter err, String message, int exitCode) {
        err.println("binrelay: " + message);
        err.flush();
        return exitCode;
    }
}
