package dev.binrelay.cli.config;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in config values with the environment variable {@code NAME}, so that secrets can stay out
 * of the file. {@code $${} stands for a literal {@code ${}. A variable that is not set is an error: silently using an
 * empty password or host would fail later with a far less helpful message.
 */
final class EnvironmentInterpolation {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> environment;

    /** @param environment looks a variable up; returns null when it is not set ({@code System::getenv}) */
    EnvironmentInterpolation(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The value with every {@code ${NAME}} replaced.
     *
     * @param key   the key the value belongs to, for messages
     * @param value the raw value from the file
     * @throws ConfigException naming the variable and the key when a variable is not set or the syntax is broken
     */
    String apply(ConfigKey key, String value) {
        if (!value.contains("${")) {
            return value;
        }
        StringBuilder result = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                result.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException("key '" + key + "': '${' without a closing '}' (write '$${' for a "
                            + "literal '${')");
                }
                result.append(lookUp(key, value.substring(i + 2, end)));
                i = end + 1;
            } else {
                result.append(value.charAt(i));
                i++;
            }
        }
        return result.toString();
    }

    private String lookUp(ConfigKey key, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("key '" + key + "': '${" + (key.secret() ? "..." : name) + "}' is not a valid "
                    + "environment variable reference (letters, digits and '_', not starting with a digit)");
        }
        String found = environment.apply(name);
        if (found == null) {
            throw new ConfigException("environment variable '" + name + "' is not set (used by key '" + key + "')");
        }
        return found;
    }
}
