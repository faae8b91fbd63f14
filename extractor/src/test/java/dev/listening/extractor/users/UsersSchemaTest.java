package dev.listening.extractor.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.storage.LocalBlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file's published JSON schema says what the parser accepts, and what it writes. */
class UsersSchemaTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private Set<ValidationMessage> validate(String doc) throws Exception {
    JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("/users.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    return schema.validate(json.readTree(doc));
  }

  @Test
  void whatAuthorizeWritesIsValidAndTheParserReadsIt() throws Exception {
    FileUsers users = new FileUsers(new LocalBlobStore(dir, true), "users.json");
    users.upsert("acct-1", Secret.of("rt-1"));
    users.upsert("acct-2", Secret.of("rt-2"));
    users.upsert("acct-1", Secret.of("rt-1b"));
    String written =
        new String(
            java.nio.file.Files.readAllBytes(dir.resolve("users.json")), StandardCharsets.UTF_8);

    assertThat(validate(written)).isEmpty();
    assertThat(users.load()).extracting(UserCredential::key).containsExactly("acct-1", "acct-2");
    assertThat(users.load().get(0).refreshToken().reveal()).isEqualTo("rt-1b");
  }

  @Test
  void whatTheSchemaRejectsTheParserRejectsToo() throws Exception {
    String noToken = "{\"users\":[{\"key\":\"a\"}]}";
    String noUsers = "{\"people\":[]}";
    for (String doc : new String[] {noToken, noUsers}) {
      assertThat(validate(doc)).as(doc).isNotEmpty();
      assertThatThrownBy(() -> UsersDocument.parse(doc.getBytes(StandardCharsets.UTF_8), "test"))
          .as(doc)
          .hasMessageContaining("users in test");
    }
    assertThat(validate("{\"users\":[{\"refresh_token\":\"x\"}]}"))
        .as("an entry without a key is keyed on its first run")
        .isEmpty();
  }
}
