package dev.tributary.node.chaos;

import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A search load on the nodes while the faults happen: {@code POST /api/search} over the posts,
 * every 100 ms, to each live node in turn, with the service key. A request may fail while
 * PostgreSQL is down or a node's connections are cut (the answer reads the posts' rows); each is
 * counted, with its latency, and after each fault the searches must answer again.
 */
final class SearchLoad {
  /** One request: when it was sent, whether it answered 200, how long it took, hits returned. */
  record Sample(long at, boolean ok, double millis, int hits, String error) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean running = true;
  private Thread thread;

  void start(ChaosRun run) {
    thread =
        new Thread(
            () -> {
              long n = 0;
              while (running) {
                List<String> nodes = run.liveNodes();
                if (!nodes.isEmpty()) {
                  String node = nodes.get((int) (n % nodes.size()));
                  Sample s = search(run.readyLine(node), n);
                  synchronized (samples) {
                    samples.add(s);
                  }
                }
                n++;
                ChaosRun.sleep(100);
              }
            },
            "chaos-search");
    thread.setDaemon(true);
    thread.start();
  }

  private Sample search(String readyLine, long n) {
    long at = System.currentTimeMillis();
    long t0 = System.nanoTime();
    try {
      String port = readyLine.substring(readyLine.indexOf("port=") + 5).trim();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/search"))
              .timeout(Duration.ofSeconds(5))
              .header("Authorization", "Bearer " + ChaosAppNodeMain.SERVICE_KEY)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"query\":\""
                          + PostTexts.query(n)
                          + "\",\"source\":\"viral_posts_bank\",\"threshold\":0.0,\"count\":5}"))
              .build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      double millis = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        return new Sample(at, false, millis, 0, "HTTP " + r.statusCode());
      }
      int hits = r.body().split("\"id\"", -1).length - 1;
      return new Sample(at, true, millis, hits, null);
    } catch (Exception e) {
      return new Sample(at, false, (System.nanoTime() - t0) / 1e6, 0, e.getClass().getSimpleName());
    }
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(10_000);
    }
  }

  private List<Sample> between(long from, long to) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.at() >= from && s.at() < to).toList();
    }
  }

  /**
   * Requests in [s.start, to), errors, latency percentiles of the answers, and the seconds from the
   * fault's end until the searches answered again (the first answer after the last error).
   */
  String columns(Scenario s, Instant to) {
    List<Sample> window = between(s.start().toEpochMilli(), to.toEpochMilli());
    long errors = window.stream().filter(x -> !x.ok()).count();
    Sample lastError = null;
    for (Sample x : window) {
      if (!x.ok()) {
        lastError = x;
      }
    }
    double back = 0;
    boolean answered = true;
    if (lastError != null) {
      long after = lastError.at();
      Sample next = window.stream().filter(x -> x.ok() && x.at() > after).findFirst().orElse(null);
      answered = next != null;
      back = next == null ? -1 : Math.max(0, next.at() - s.faultEnd().toEpochMilli()) / 1000.0;
    }
    return String.format(
        Locale.ROOT,
        " search=%d errors=%d p50_ms=%.1f p99_ms=%.1f answered_again=%s back_s=%.1f",
        window.size(),
        errors,
        percentile(window, 0.50),
        percentile(window, 0.99),
        answered,
        back);
  }

  /** Whether, after every fault, a search answered again after the fault's last error. */
  boolean answeredAfterEveryFault(List<Scenario> scenarios, Instant end) {
    for (int i = 0; i < scenarios.size(); i++) {
      Instant to = i + 1 < scenarios.size() ? scenarios.get(i + 1).start() : end;
      if (columns(scenarios.get(i), to).contains("answered_again=false")) {
        return false;
      }
    }
    return true;
  }

  long errors() {
    synchronized (samples) {
      return samples.stream().filter(x -> !x.ok()).count();
    }
  }

  /** Hits of the last answers: the index serves the posts the cascade embedded. */
  int lastHits() {
    synchronized (samples) {
      for (int i = samples.size() - 1; i >= 0; i--) {
        if (samples.get(i).ok()) {
          return samples.get(i).hits();
        }
      }
      return 0;
    }
  }

  String summary() {
    List<Sample> all;
    synchronized (samples) {
      all = List.copyOf(samples);
    }
    long errors = all.stream().filter(x -> !x.ok()).count();
    String kinds =
        Arrays.toString(
            all.stream().filter(x -> !x.ok()).map(Sample::error).distinct().sorted().toArray());
    return String.format(
        Locale.ROOT,
        "search: requests=%d answered=%d errors=%d %s p50_ms=%.1f p99_ms=%.1f last answer hits=%d",
        all.size(),
        all.size() - errors,
        errors,
        kinds,
        percentile(all, 0.50),
        percentile(all, 0.99),
        lastHits());
  }

  private static double percentile(List<Sample> window, double q) {
    double[] ms = window.stream().filter(Sample::ok).mapToDouble(Sample::millis).sorted().toArray();
    if (ms.length == 0) {
      return 0;
    }
    return ms[Math.min(ms.length - 1, (int) Math.ceil(q * ms.length) - 1)];
  }
}
