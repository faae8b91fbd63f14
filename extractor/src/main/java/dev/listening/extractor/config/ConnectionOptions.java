package dev.listening.extractor.config;

import picocli.CommandLine.Option;

/**
 * Which Spotify to talk to and as which app: the options every command shares, authorize included.
 * Secrets are never options: only where to find them.
 */
public final class ConnectionOptions {
  @Option(
      names = "--target",
      defaultValue = "${env:SPOTIFY_TARGET:-simulator}",
      description =
          "simulator (the local simulator, http://127.0.0.1:8090) or spotify"
              + " (https://api.spotify.com/v1 and https://accounts.spotify.com); env SPOTIFY_TARGET."
              + " Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(
      names = "--api-base-url",
      defaultValue = "${env:SPOTIFY_API_BASE_URL}",
      description = "Web API base URL (env SPOTIFY_API_BASE_URL). Default: the target's.")
  String apiBaseUrl;

  @Option(
      names = "--accounts-base-url",
      defaultValue = "${env:SPOTIFY_ACCOUNTS_BASE_URL}",
      description =
          "Accounts service base URL (env SPOTIFY_ACCOUNTS_BASE_URL). Default: the target's.")
  String accountsBaseUrl;

  @Option(
      names = "--client-id",
      defaultValue = "${env:SPOTIFY_CLIENT_ID}",
      description =
          "The app's client id (env SPOTIFY_CLIENT_ID). Default: none; on the simulator target,"
              + " the simulator's.")
  String clientId;

  @Option(
      names = "--client-secret-ref",
      defaultValue = "${env:SPOTIFY_CLIENT_SECRET_REF:-" + ExtractorConfig.DEFAULT_SECRET_REF + "}",
      description =
          "Where the app's client secret is: env:VARIABLE, sm://projects/P/secrets/S[/versions/V],"
              + " or sim (the simulator's). The secret itself is never accepted on the command"
              + " line. Default: ${DEFAULT-VALUE} (on the simulator target, the simulator's when"
              + " that variable is unset).")
  String clientSecretRef;

  @Option(
      names = "--log-format",
      defaultValue = "${env:LOG_FORMAT:-text}",
      description = "text, or json for Cloud Logging (env LOG_FORMAT). Default: ${DEFAULT-VALUE}.")
  String logFormat;
}
