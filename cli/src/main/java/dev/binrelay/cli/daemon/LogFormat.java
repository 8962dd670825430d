package dev.binrelay.cli.daemon;

import java.util.Arrays;
import java.util.List;

/**
 * {@code binrelay run --log-format text|json}: text lines for people (logback.xml), or one JSON object per line for
 * log shippers (logback-json.xml, logback's JsonEncoder). The choice is made from the raw arguments before logback
 * initialises, so that even the first line has the chosen format.
 */
public enum LogFormat {
    TEXT, JSON;

    private static final String OPTION = "--log-format";
    private static final String CONFIG_PROPERTY = "logback.configurationFile";
    static final String JSON_CONFIG = "logback-json.xml";

    /**
     * Points logback at the JSON configuration when {@code args} ask for JSON. Call before anything logs. An explicit
     * {@code -Dlogback.configurationFile} wins.
     */
    public static void chooseBeforeLogging(String[] args) {
        if (requested(Arrays.asList(args)) == JSON && System.getProperty(CONFIG_PROPERTY) == null) {
            System.setProperty(CONFIG_PROPERTY, JSON_CONFIG);
        }
    }

    /** The format {@code args} ask for; {@link #TEXT} when they do not say, or say something picocli will refuse. */
    public static LogFormat requested(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = arg.startsWith(OPTION + "=") ? arg.substring(OPTION.length() + 1)
                    : arg.equals(OPTION) && i + 1 < args.size() ? args.get(i + 1) : null;
            if (value != null) {
                return value.equalsIgnoreCase("json") ? JSON : TEXT;
            }
        }
        return TEXT;
    }
}
