package dev.binrelay.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The values of {@code applier.scheduler}: how transactions are spread over the applier's workers. The planned set is
 * listed so that a config written for a later version gets a clear "not available yet" instead of "unknown value".
 */
enum SchedulerChoice {
    /** One transaction at a time, in source commit order. */
    SERIAL("serial", true),
    /** Transactions on different databases in parallel (planned). */
    DATABASE("database", false),
    /** The source's logical clock (commit parent) decides what may run together (planned). */
    LOGICAL_CLOCK("logical_clock", false),
    /** Transactions whose written rows do not overlap run together (planned). */
    WRITESET("writeset", false);

    private final String configName;
    private final boolean available;

    SchedulerChoice(String configName, boolean available) {
        this.configName = configName;
        this.available = available;
    }

    /** The value as written in a config file. */
    String configName() {
        return configName;
    }

    /**
     * The scheduler named {@code value} (ignoring case).
     *
     * @throws ConfigException if the value is not one of the planned set, or names one this version lacks
     */
    static SchedulerChoice parse(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (SchedulerChoice choice : values()) {
            if (choice.configName.equals(wanted)) {
                if (!choice.available) {
                    throw new ConfigException("applier.scheduler '" + choice.configName + "' is not available in "
                            + "this version of binrelay: use '" + SERIAL.configName + "'");
                }
                return choice;
            }
        }
        throw new ConfigException("applier.scheduler must be one of " + Arrays.stream(values())
                .map(SchedulerChoice::configName).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    @Override
    public String toString() {
        return configName;
    }
}
