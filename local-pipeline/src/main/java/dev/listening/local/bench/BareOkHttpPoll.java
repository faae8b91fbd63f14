package dev.listening.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The extractor benchmark's reference, run as its own JVM: the same recently-played requests the
 * extractor made in one poll, with a bare OkHttp loop at the same concurrency (a token refresh per
 * user, then the GET, body parsed and dropped), and nothing else: no retries, gate, landing or
 * state. Prints {"requests": N, "seconds": S}. Credentials come from SIM_CLIENT_ID and
 * SIM_CLIENT_SECRET.
 *
 * <pre>
 * BareOkHttpPoll &lt;simulator root&gt; &lt;plan.tsv: user, refresh token, after&gt; &lt;concurrency&gt;
 * </pre>
 */
public final class BareOkHttpPoll {
  private BareOkHttpPoll() {}

  public static void main(String[] args) throws Exception {
    String root = args[0];
    List<String[]> plan = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      if (!line.isBlank()) {
        plan.add(line.split("\t", -1));
      }
    }
    int concurrency = Integer.parseInt(args[2]);
    String basic =
        Credentials.basic(System.getenv("SIM_CLIENT_ID"), System.getenv("SIM_CLIENT_SECRET"));
    ObjectMapper json = new ObjectMapper();
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(concurrency * 2);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(concurrency, 1, TimeUnit.MINUTES))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (String[] r : plan) {
      futures.add(
          pool.submit(
              () -> {
                Request token =
                    new Request.Builder()
                        .url(root + "/api/token")
                        .header("Authorization", basic)
                        .post(
                            new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .add("refresh_token", r[1])
                                .build())
                        .build();
                String access;
                try (Response t = client.newCall(token).execute()) {
                  access = json.readTree(t.body().bytes()).path("access_token").asText();
                }
                HttpUrl.Builder url =
                    HttpUrl.get(root + "/v1/me/player/recently-played")
                        .newBuilder()
                        .addQueryParameter("limit", "50");
                if (!r[2].isEmpty()) {
                  url.addQueryParameter("after", r[2]);
                }
                try (Response p =
                    client
                        .newCall(
                            new Request.Builder()
                                .url(url.build())
                                .header("Authorization", "Bearer " + access)
                                .build())
                        .execute()) {
                  json.readTree(p.body().bytes());
                }
                done.incrementAndGet();
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    client.dispatcher().executorService().shutdown();
    System.out.println("{\"requests\":" + done.get() + ",\"seconds\":" + seconds + "}");
  }
}
