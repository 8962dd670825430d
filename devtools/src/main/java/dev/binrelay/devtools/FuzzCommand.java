package dev.binrelay.devtools;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import ch.qos.logback.classic.Level;
import dev.binrelay.benchmarks.differential.DifferentialTester;
import dev.binrelay.benchmarks.differential.FuzzSettings;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code binrelay fuzz}: the randomized differential tester (the benchmarks module's differential package). */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Randomized differential test on embedded MySQL 8.0.31 servers: random schemas and "
                + "transactions, SIGKILLs of binrelay, target restarts, binlog rotations and DDL, for every "
                + "scheduler; each round ends comparing every row and the checkpoint with the source."},
        footer = {"", "Exit codes: 0 no difference, 1 a round differed (its seed and replay command are printed), "
                + "2 usage."})
public final class FuzzCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", paramLabel = "S", description = "The first round's seed (default: the clock).")
    Long seed;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds to run (default: 8, or none with --minutes).")
    Integer rounds;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "0",
            description = "Soak: start rounds until M minutes passed.")
    int minutes;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "6",
            description = "Source client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--transactions", paramLabel = "T", defaultValue = "150",
            description = "Transactions per round (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Override
    public Integer call() throws Exception {
        FuzzSettings settings;
        try {
            int roundCount = rounds != null ? rounds : (minutes > 0 ? 0 : 8);
            settings = new FuzzSettings(seed != null ? seed : System.currentTimeMillis() % 1_000_000, roundCount,
                    minutes, clients, transactions);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.binrelay")).setLevel(Level.WARN);
        spec.commandLine().getOut().println("fuzz: first seed " + settings.seed());
        List<Long> failing = new DifferentialTester(settings, spec.commandLine().getOut()).run();
        return failing.isEmpty() ? 0 : ExitCodes.FAILED;
    }
}
