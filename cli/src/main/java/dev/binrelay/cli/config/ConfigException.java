package dev.binrelay.cli.config;

import java.util.List;

/**
 * The configuration is wrong: a key is missing, unknown, or has a value binrelay cannot use. The message names the
 * key and never contains a password.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the key */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * All problems of one config file in one exception, so that an operator can fix them in one go.
     *
     * @param origin   the file (or other source) the configuration came from
     * @param problems one message per problem, each naming its key
     */
    static ConfigException of(String origin, List<String> problems) {
        if (problems.size() == 1) {
            return new ConfigException(origin + ": " + problems.get(0));
        }
        StringBuilder message = new StringBuilder(origin).append(": ").append(problems.size()).append(" problems:");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return new ConfigException(message.toString());
    }
}
