package dev.listening.local.robust;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.ahocorasick.trie.Trie;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Looks for credentials where none may be: every file a run left (logs, the tools' stdout and
 * stderr, landing pages, manifests and state, bronze, gold and their metrics, the look-up list, the
 * warehouse, the report, the summary). It finds the literal values it is given (the client secret,
 * the users' refresh tokens) and anything shaped like a token the simulator issues: access tokens
 * are {@code BQ} and 43 base64url characters, refresh tokens {@code AQ} or {@code AP} and 32
 * (Spotify ids are 22 characters, so none matches).
 *
 * <p>Gzip files are read decompressed and Parquet files record by record as text (their compression
 * would hide a literal from a byte search); every other file as bytes. A finding names the file and
 * what was found, never the value.
 */
public final class SecretScan {
  private SecretScan() {}

  static final Pattern TOKEN_SHAPED =
      Pattern.compile(
          "(?<![A-Za-z0-9_-])(BQ[A-Za-z0-9_-]{43}|A[QP][A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])");

  /** One credential found: where, and which kind (not the value). */
  public record Finding(Path file, String what) {
    @Override
    public String toString() {
      return what + " in " + file;
    }
  }

  /**
   * @param literals values that must appear nowhere (secrets and tokens)
   */
  public static List<Finding> scan(Path root, Collection<String> literals) throws IOException {
    return scan(root, literals, List.of());
  }

  /**
   * @param credentialStores folders that hold credentials by design (a drill's users files, 0600):
   *     not scanned
   */
  public static List<Finding> scan(
      Path root, Collection<String> literals, List<Path> credentialStores) throws IOException {
    // One automaton for all the values: a run with thousands of users has thousands of refresh
    // tokens, and looking for each one separately made the scan of a 240k-play run take 20 minutes.
    List<String> given = literals.stream().filter(v -> v != null && v.length() >= 8).toList();
    Trie values = Trie.builder().addKeywords(given).stopOnHit().build();
    int longest = given.stream().mapToInt(String::length).max().orElse(0);
    List<Finding> findings = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(f -> credentialStores.stream().noneMatch(f::startsWith))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      Set<String> found = new TreeSet<>();
      String name = f.getFileName().toString();
      if (name.endsWith(".parquet")) {
        parquet(f, values, found);
      } else if (name.endsWith(".gz")) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            check(line, values, found);
          }
        } catch (IOException notGzip) {
          // A truncated or foreign file (the bad-input tests leave some): its bytes then.
          bytes(f, values, longest, found);
        }
      } else {
        bytes(f, values, longest, found);
      }
      found.forEach(w -> findings.add(new Finding(root.relativize(f), w)));
    }
    return findings;
  }

  /**
   * A Parquet file record by record, every value as text (strings decoded), with Parquet's own
   * reader: no Spark job per file, which made scanning a run's few dozen tables take minutes.
   */
  private static void parquet(Path f, Trie values, Set<String> found) throws IOException {
    try (ParquetReader<Group> records =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(f.toUri()))
            .build()) {
      for (Group record; (record = records.read()) != null; ) {
        check(record.toString(), values, found);
      }
    }
  }

  /** A file's bytes in chunks that overlap by more than the longest value, as Latin-1 text. */
  private static void bytes(Path f, Trie values, int longest, Set<String> found)
      throws IOException {
    int overlap = 64 + longest;
    byte[] buf = new byte[1 << 20];
    String carry = "";
    try (InputStream in = Files.newInputStream(f)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        String chunk = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        check(chunk, values, found);
        carry = chunk.substring(Math.max(0, chunk.length() - overlap));
      }
    }
  }

  private static void check(String text, Trie values, Set<String> found) {
    if (values.containsMatch(text)) {
      found.add("a secret or token given to the scan");
    }
    var m = TOKEN_SHAPED.matcher(text);
    while (m.find()) {
      found.add(m.group().startsWith("BQ") ? "an access token" : "a refresh token");
    }
  }
}
