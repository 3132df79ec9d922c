package dev.tributary.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.PublishingSettings;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.QueueConfig;
import dev.tributary.pipelines.publishing.PublishingJobs;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.sandbox.UnipileSandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scheduled publishing, on time and once: {@code --posts} posts (1,000) due over {@code
 * --spread-seconds} (60) are published by two nodes on one database against the Unipile sandbox,
 * which drops the answer of {@code --lose} (10%) of the create calls after creating the post.
 * Lateness is when the post appeared at the provider minus when it was due (what a reader sees);
 * the reference is the seed's cron, which publishes at the next 5-minute tick after a post is due.
 * Prints, last: {@code publishing: posts= duplicates= missing= late_p50_ms= late_p99_ms=
 * seed-cron-late_p50_ms=}.
 */
public final class PublishingBench {
  static final String KEY = "bench-unipile-key";

  public static void main(String[] args) throws Exception {
    int posts = intOption(args, "--posts", 1000);
    int spread = intOption(args, "--spread-seconds", 60);
    double lose = intOption(args, "--lose-percent", 10) / 100.0;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        HikariDataSource setup = pool(pg, 4);
        UnipileSandbox sandbox = UnipileSandbox.start(KEY).account("acc-bench", "ACoBENCH")) {
      Migrations.apply(setup);
      sandbox.loseAnswers(lose);
      PublishingSettings settings =
          new PublishingSettings(
              Optional.of(KEY),
              Optional.of(sandbox.baseUrl()),
              Duration.ofSeconds(10),
              Duration.ofSeconds(2),
              10L << 20,
              PublishingSettings.DEFAULT_CONCURRENCY,
              PublishingSettings.DEFAULT_CYCLE_CRON);
      Instant first = Instant.now().plusSeconds(15);
      Map<String, Instant> dueByText = schedule(setup, posts, spread, first);
      System.out.printf(
          Locale.ROOT,
          "publishing: %d posts due from %s over %d s, two nodes, %.0f%% of answers lost%n",
          posts,
          first,
          spread,
          lose * 100);
      List<Engine> engines = new ArrayList<>();
      List<HikariDataSource> pools = new ArrayList<>();
      for (String node : List.of("bench-a", "bench-b")) {
        HikariDataSource ds = pool(pg, 10);
        pools.add(ds);
        PublishingModule module = PublishingModule.create(settings, ds, Clock.systemUTC(), node);
        EngineBuilder b =
            Engine.builder(ds)
                .nodeId(node)
                .queue(QueueConfig.of(PublishingJobs.QUEUE, settings.concurrency()));
        module.register(b);
        Engine engine = b.build();
        module.jobs().jobs(engine.jobs());
        engine.start();
        engines.add(engine);
      }
      Instant deadline = first.plusSeconds(spread + 120);
      while (published(setup) < posts && Instant.now().isBefore(deadline)) {
        Thread.sleep(500);
      }
      engines.forEach(Engine::close);
      pools.forEach(HikariDataSource::close);
      report(sandbox, dueByText, published(setup));
    }
  }

  private static Map<String, Instant> schedule(
      HikariDataSource ds, int posts, int spread, Instant first) throws Exception {
    Map<String, Instant> due = new HashMap<>();
    try (Connection c = ds.getConnection()) {
      String account;
      try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO unipile_accounts (account_id, status, provider_id)"
                      + " VALUES ('acc-bench', 'connected', 'ACoBENCH') RETURNING id");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        account = rs.getString(1);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO scheduled_posts (unipile_account_id, content, scheduled_at)"
                  + " VALUES (?::uuid, ?, ?)")) {
        for (int i = 0; i < posts; i++) {
          Instant at = first.plusMillis(i * (spread * 1000L) / posts);
          String text = "Synthetic bench post " + i;
          due.put(text, at);
          ps.setString(1, account);
          ps.setString(2, text);
          ps.setTimestamp(3, Timestamp.from(at));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return due;
  }

  private static void report(UnipileSandbox sandbox, Map<String, Instant> due, long published) {
    Map<String, List<UnipileSandbox.Post>> byText = new HashMap<>();
    for (UnipileSandbox.Post p : sandbox.posts()) {
      byText.computeIfAbsent(p.text(), k -> new ArrayList<>()).add(p);
    }
    long duplicates = 0;
    long missing = 0;
    List<Long> late = new ArrayList<>();
    List<Long> cron = new ArrayList<>();
    for (Map.Entry<String, Instant> e : due.entrySet()) {
      List<UnipileSandbox.Post> found = byText.getOrDefault(e.getKey(), List.of());
      if (found.isEmpty()) {
        missing++;
        continue;
      }
      duplicates += found.size() - 1;
      late.add(Math.max(0, Duration.between(e.getValue(), found.get(0).createdAt()).toMillis()));
      long dueMs = e.getValue().toEpochMilli();
      long tick = 300_000L;
      cron.add(((dueMs + tick - 1) / tick) * tick - dueMs);
    }
    System.out.printf(
        Locale.ROOT,
        "publishing: rows published %d, create calls %d, list calls %d%n",
        published,
        sandbox.createCalls(),
        sandbox.listCalls());
    System.out.printf(
        Locale.ROOT,
        "publishing: posts=%d duplicates=%d missing=%d late_p50_ms=%d late_p99_ms=%d seed-cron-late_p50_ms=%d%n",
        due.size(),
        duplicates,
        missing,
        pct(late, 0.50),
        pct(late, 0.99),
        pct(cron, 0.50));
  }

  private static long published(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM scheduled_posts WHERE status = 'published'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long pct(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  private static HikariDataSource pool(EmbeddedPostgres pg, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
