package dev.listening.extractor.users;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and adds Secret Manager versions; an interface so tests can stand in for the service. */
public interface SecretAccess {

  /** {@code sm://projects/P/secrets/S} or {@code sm://projects/P/secrets/S/versions/V}. */
  record Ref(String project, String secret, String version) {
    private static final Pattern FORM =
        Pattern.compile("sm://projects/([^/]+)/secrets/([^/]+)(?:/versions/([^/]+))?");

    public static Ref parse(String value) {
      Matcher m = FORM.matcher(value.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "secret reference '"
                + value
                + "' must look like sm://projects/PROJECT/secrets/NAME[/versions/VERSION]");
      }
      return new Ref(m.group(1), m.group(2), m.group(3) == null ? "latest" : m.group(3));
    }

    public Ref latest() {
      return new Ref(project, secret, "latest");
    }

    String versionName() {
      return "projects/" + project + "/secrets/" + secret + "/versions/" + version;
    }

    @Override
    public String toString() {
      return "sm://" + versionName();
    }
  }

  byte[] read(Ref ref) throws IOException;

  void addVersion(Ref ref, byte[] payload) throws IOException;

  /** The real service, with the ambient credentials of the Cloud Run job's service account. */
  static SecretAccess google() {
    return new SecretAccess() {
      @Override
      public byte[] read(Ref ref) throws IOException {
        try (SecretManagerServiceClient client = SecretManagerServiceClient.create()) {
          AccessSecretVersionResponse r = client.accessSecretVersion(ref.versionName());
          return r.getPayload().getData().toByteArray();
        } catch (RuntimeException e) {
          throw new IOException(
              "could not read "
                  + ref
                  + ": "
                  + e.getClass().getSimpleName()
                  + "; check that it exists and the job's service account has"
                  + " roles/secretmanager.secretAccessor on it",
              e);
        }
      }

      @Override
      public void addVersion(Ref ref, byte[] payload) throws IOException {
        try (SecretManagerServiceClient client = SecretManagerServiceClient.create()) {
          client.addSecretVersion(
              SecretName.of(ref.project(), ref.secret()),
              SecretPayload.newBuilder().setData(ByteString.copyFrom(payload)).build());
        } catch (RuntimeException e) {
          throw new IOException(
              "could not add a version to "
                  + ref.latest()
                  + ": "
                  + e.getClass().getSimpleName()
                  + "; the job's service account needs roles/secretmanager.secretVersionAdder",
              e);
        }
      }
    };
  }
}
