package dev.binrelay.cli.command;

import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the daemon's HTTP API is, for the commands that talk to it: {@code --config} (its {@code http.*} keys give
 * the address and token) or {@code --url}, with {@code --token} or {@code BINRELAY_HTTP_TOKEN} for control.
 */
final class DaemonOptions {
    /** The environment variable a token may come from, so that it need not show in the process list. */
    static final String TOKEN_VARIABLE = "BINRELAY_HTTP_TOKEN";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The daemon's YAML config: its http.bind, http.port and http.token.")
    Path configFile;

    @Option(names = "--url", paramLabel = "URL",
            description = "The daemon's HTTP API, such as http://127.0.0.1:8080 (instead of --config).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The bearer token for stop, start and skip (default: $" + TOKEN_VARIABLE
                    + ", else http.token from --config).")
    String token;

    @Option(names = "--channel", paramLabel = "NAME",
            description = "The channel, for a daemon with several (channels: in its config).")
    String channel;

    /** {@code channel=NAME} for a query string that already has a {@code ?} when {@code separator} is {@code &}. */
    String channelParameter(char separator) {
        return channel == null ? "" : separator + "channel=" + DaemonClient.encode(channel.strip());
    }

    /**
     * The client these options describe.
     *
     * @throws ConfigException when neither {@code --config} nor {@code --url} is given, or the config has no HTTP API
     */
    DaemonClient client() {
        String environmentToken = System.getenv(TOKEN_VARIABLE);
        String chosenToken = token != null ? token : environmentToken;
        if (url != null) {
            String fromConfig = configFile == null ? "" : ConfigLoader.loadForClient(configFile).http().token();
            return new DaemonClient(url, chosenToken != null ? chosenToken : fromConfig);
        }
        if (configFile == null) {
            throw new ConfigException("say where the daemon is: --config FILE (its http.* keys) or --url URL");
        }
        BinrelayConfig.Http http = ConfigLoader.loadForClient(configFile).http();
        if (!http.enabled()) {
            throw new ConfigException(configFile + " has no http.port: that daemon serves no HTTP API");
        }
        return new DaemonClient(http.localUrl(), chosenToken != null ? chosenToken : http.token());
    }
}
