package dev.listening.extractor.config;

import dev.listening.extractor.api.Secret;
import dev.listening.extractor.users.SecretAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Which Spotify to talk to and as which app, validated from {@link ConnectionOptions} and the
 * environment. On the spotify target nothing falls back to the simulator: missing credentials are
 * an error naming the variable or secret to set.
 *
 * @param clientId null only on the simulator target, where the simulator's is used
 * @param clientSecret null only on the simulator target when no secret is configured
 */
public record Connection(
    Target target,
    HttpUrl apiBaseUrl,
    HttpUrl accountsBaseUrl,
    String clientId,
    ClientSecretRef clientSecret,
    String logFormat) {

  /** The credentials come from the simulator's admin endpoint. */
  public boolean simulatorCredentials() {
    return clientId == null
        || clientSecret == null
        || clientSecret instanceof ClientSecretRef.Simulator;
  }

  /**
   * @param problems every problem found is added; the result is null when any was found
   */
  public static Connection from(
      ConnectionOptions o, Map<String, String> env, List<String> problems) {
    int before = problems.size();
    Target target = null;
    try {
      target = Target.parse(o.target);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Target t = target == null ? Target.SIMULATOR : target;
    HttpUrl api = url("--api-base-url", o.apiBaseUrl, t.apiBaseUrl(), problems);
    HttpUrl accounts = url("--accounts-base-url", o.accountsBaseUrl, t.accountsBaseUrl(), problems);
    String clientId = o.clientId == null || o.clientId.isBlank() ? null : o.clientId.trim();
    ClientSecretRef secret = secretRef(o.clientSecretRef, env, problems);
    boolean secretMissing =
        secret instanceof ClientSecretRef.Env e && e.value() == null
            || secret instanceof ClientSecretRef.Simulator;
    boolean defaultRef = ExtractorConfig.DEFAULT_SECRET_REF.equals(o.clientSecretRef.trim());
    if (secret == null) {
      // Already reported: the reference itself is malformed.
    } else if (secret instanceof ClientSecretRef.Env e && e.value() == null && !defaultRef) {
      problems.add(
          "--client-secret-ref env:"
              + e.variable()
              + ": the variable "
              + e.variable()
              + " is not set; set it to the app's client secret");
    } else if (t == Target.SPOTIFY) {
      if (secret instanceof ClientSecretRef.Simulator) {
        problems.add(
            "--client-secret-ref sim is the simulator's secret; the spotify target needs"
                + " the app's: set SPOTIFY_CLIENT_SECRET or --client-secret-ref sm://...");
      } else if (secretMissing && clientId == null) {
        problems.add(
            "the spotify target needs the app's credentials: set SPOTIFY_CLIENT_ID and"
                + " SPOTIFY_CLIENT_SECRET (or --client-secret-ref sm://...)");
      } else if (clientId == null) {
        problems.add("SPOTIFY_CLIENT_ID is not set (nor --client-id): set the app's client id");
      } else if (secretMissing) {
        problems.add(
            "SPOTIFY_CLIENT_SECRET is not set: set it, or --client-secret-ref sm://..."
                + " for a Secret Manager secret");
      }
    } else if (clientId != null
        && secretMissing
        && !(secret instanceof ClientSecretRef.Simulator)) {
      problems.add(
          "SPOTIFY_CLIENT_ID is set but SPOTIFY_CLIENT_SECRET is not: set both, or neither to use"
              + " the simulator's");
    } else if (clientId == null && !secretMissing) {
      problems.add(
          "a client secret is configured but SPOTIFY_CLIENT_ID is not: set both, or neither to"
              + " use the simulator's");
    }
    if (!"text".equals(o.logFormat) && !"json".equals(o.logFormat)) {
      problems.add("--log-format '" + o.logFormat + "' must be text or json");
    }
    if (problems.size() > before) {
      return null;
    }
    return new Connection(
        t,
        api,
        accounts,
        clientId,
        secretMissing ? new ClientSecretRef.Simulator() : secret,
        o.logFormat);
  }

  /** For the run's one log line: where secrets come from, never their values. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target.wireName());
    m.put("api_base_url", apiBaseUrl.toString());
    m.put("accounts_base_url", accountsBaseUrl.toString());
    m.put("client_id", clientId == null ? "(the simulator's)" : clientId);
    m.put("client_secret", clientSecret.toString());
    return m;
  }

  private static HttpUrl url(String option, String value, String fallback, List<String> problems) {
    String v = value == null || value.isBlank() ? fallback : value.trim();
    HttpUrl url = HttpUrl.parse(v);
    if (url == null) {
      problems.add(option + " '" + v + "' is not an http(s) URL");
    }
    return url;
  }

  private static ClientSecretRef secretRef(
      String ref, Map<String, String> env, List<String> problems) {
    String r = ref == null ? "" : ref.trim();
    if (r.equals("sim")) {
      return new ClientSecretRef.Simulator();
    }
    if (r.startsWith("env:")
        && r.length() > 4
        && r.substring(4).matches("[A-Za-z_][A-Za-z0-9_]*")) {
      String variable = r.substring(4);
      String value = env.get(variable);
      return new ClientSecretRef.Env(
          variable, value == null || value.isBlank() ? null : Secret.of(value.trim()));
    }
    if (r.startsWith("sm://")) {
      try {
        return new ClientSecretRef.SecretManager(SecretAccess.Ref.parse(r));
      } catch (IllegalArgumentException e) {
        // Not echoed: a secret pasted where its reference belongs must not reach the log.
        problems.add(
            "--client-secret-ref is not a valid sm:// reference: it must look like"
                + " sm://projects/PROJECT/secrets/NAME[/versions/VERSION]");
        return null;
      }
    }
    // Not echoed either, for the same reason.
    problems.add(
        "--client-secret-ref must be env:VARIABLE, sm://projects/P/secrets/S or sim"
            + " (its value is not shown, in case it is the secret itself)");
    return null;
  }
}
