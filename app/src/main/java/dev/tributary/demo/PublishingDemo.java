package dev.tributary.demo;

import dev.tributary.config.PublishingSettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.publishing.PublishingJobs;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The publishing part of {@code tributary demo}: a SYNTHETIC Unipile sandbox on a loopback port,
 * the demo's first profile connected to it, a company page with a rule that re-posts at once, and
 * {@value #POSTS} posts due a few seconds ahead, the sandbox losing the answer of one create call.
 * The node publishes them at their own time; the demo then shows how late each went out and that
 * the sandbox holds exactly one post per row. At the end its accounts are marked disconnected and
 * the catch-up schedule the node declared is removed, so a real node on the same database never
 * posts from them.
 */
final class PublishingDemo implements AutoCloseable {
  static final int POSTS = 3;
  static final String PERSON_ACCOUNT = "demo-unipile-person";
  static final String COMPANY_ACCOUNT = "demo-unipile-company";
  static final String COMPANY_ID = "90000001";
  static final String PREFIX = "From the SYNTHETIC company page:";
  static final Duration DEADLINE = Duration.ofSeconds(60);

  /** Not a secret: it opens only the local Unipile sandbox. */
  private static final String KEY = "tributary-demo-unipile-sandbox";

  private final Jdbc jdbc;
  private final Schedules schedules;
  private final boolean hadCycleSchedule;
  private final UnipileSandbox sandbox = UnipileSandbox.start(KEY);

  PublishingDemo(DataSource ds) {
    this.jdbc = new Jdbc(ds);
    this.schedules = new Schedules(ds, Clock.systemUTC(), new Jobs(ds));
    this.hadCycleSchedule = schedules.get(PublishingJobs.SCHEDULE_NAME).isPresent();
    sandbox.account(PERSON_ACCOUNT, "ACoDEMOPERSON").account(COMPANY_ACCOUNT, "ACoDEMOCOMPANY");
  }

  /** The node's settings with publishing pointed at the sandbox (a lost answer settles in ~8 s). */
  TributaryConfig configure(TributaryConfig config) {
    return config.withPublishing(
        new PublishingSettings(
            Optional.of(KEY),
            Optional.of(sandbox.baseUrl()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            1024 * 1024,
            PublishingSettings.DEFAULT_CONCURRENCY,
            PublishingSettings.DEFAULT_CYCLE_CRON));
  }

  /** One scheduled post and what became of it. */
  private record Row(UUID id, int n, Instant due, boolean loseAnswer) {}

  /** Schedules the posts, waits for them and their re-posts, prints; 0 when all went out once. */
  int run(String linkedinId, PrintStream out, String header) throws InterruptedException {
    UUID profile =
        jdbc.queryOne(
                "SELECT id FROM profiles WHERE linkedin_id = :id",
                Params.of("id", linkedinId),
                rs -> rs.getObject(1, UUID.class))
            .orElseThrow();
    UUID person = account(PERSON_ACCOUNT, profile);
    UUID page = companyPage(account(COMPANY_ACCOUNT, null));
    jdbc.update(
        """
        INSERT INTO company_auto_post_rules (company_page_id, profile_id, delay_minutes, content_prefix)
        VALUES (:page, :profile, 0, :prefix)
        ON CONFLICT (company_page_id, profile_id) DO UPDATE SET is_enabled = true""",
        Params.of("page", page, "profile", profile, "prefix", PREFIX));
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    Instant now = Instant.now();
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= POSTS; i++) {
      String text = "SYNTHETIC scheduled post " + i + " of demo run " + run;
      boolean lose = i == 2;
      if (lose) {
        sandbox.failOnce(text, Fault.CREATED_ANSWER_DROPPED);
      }
      Instant due = now.plusSeconds(1 + i);
      UUID id =
          jdbc.queryOne(
                  """
                  INSERT INTO scheduled_posts (profile_id, unipile_account_id, content, scheduled_at)
                  VALUES (:profile, :account, :text, :due) RETURNING id""",
                  Params.of("profile", profile, "account", person, "text", text).and("due", due),
                  rs -> rs.getObject(1, UUID.class))
              .orElseThrow();
      rows.add(new Row(id, i, due, lose));
    }
    out.printf(
        Locale.ROOT,
        "%s publishing: %d SYNTHETIC posts due in 2-%d s on a SYNTHETIC Unipile sandbox at %s"
            + " (no key, no network), a company rule re-posting at once; the sandbox loses post 2's"
            + " create answer%n",
        header,
        POSTS,
        POSTS + 1,
        sandbox.baseUrl());
    if (!awaitSettled(rows)) {
      out.println(
          "the demo stopped: the posts were not published within " + DEADLINE.toSeconds() + " s");
      return 1;
    }
    return report(rows, page, out);
  }

  private boolean awaitSettled(List<Row> rows) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      long open = 0;
      for (Row r : rows) {
        open +=
            count(
                """
            SELECT (SELECT count(*) FROM scheduled_posts WHERE id = :id AND status NOT IN ('published', 'failed'))
                 + (SELECT count(*) FROM scheduled_posts WHERE id = :id AND status = 'published'
                     AND NOT EXISTS (SELECT 1 FROM company_published_posts c JOIN published_posts p
                                       ON p.id = c.published_post_id
                                      WHERE p.scheduled_post_id = :id AND c.status IN ('published', 'failed')))""",
                r.id());
      }
      if (open == 0) {
        return true;
      }
      Thread.sleep(Demo.POLL.toMillis());
    }
    return false;
  }

  private int report(List<Row> rows, UUID page, PrintStream out) {
    long published = 0;
    long duplicates = 0;
    for (Row r : rows) {
      Map<String, Object> s =
          jdbc.queryOne(
                  """
                  SELECT p.status, p.content,
                         extract(epoch FROM (SELECT min(a.started_at) FROM publishing_attempts a
                                              WHERE a.source_id = p.id) - p.scheduled_at) AS sent_late,
                         extract(epoch FROM p.published_at - p.scheduled_at) AS settled,
                         (SELECT bool_or(reconciled) FROM publishing_attempts a WHERE a.source_id = p.id) AS reconciled
                    FROM scheduled_posts p WHERE p.id = :id""",
                  Params.of("id", r.id()),
                  rs ->
                      Map.<String, Object>of(
                          "status", rs.getString("status"),
                          "content", rs.getString("content"),
                          "late", rs.getDouble("sent_late"),
                          "settled", rs.getDouble("settled"),
                          "reconciled", rs.getBoolean("reconciled")))
              .orElseThrow();
      long created = sandbox.createdWithText((String) s.get("content"));
      published += "published".equals(s.get("status")) ? 1 : 0;
      duplicates += Math.max(0, created - 1);
      out.printf(
          Locale.ROOT,
          "      post %d  %s, sent %.1f s after its time%s, created %d× at the sandbox%n",
          r.n(),
          s.get("status"),
          (Double) s.get("late"),
          (Boolean) s.get("reconciled")
              ? String.format(
                  Locale.ROOT,
                  "; its answer was lost, found among the account's posts %.1f s after its time and"
                      + " not sent again",
                  (Double) s.get("settled"))
              : "",
          created);
    }
    long reposts = 0;
    for (Row r : rows) {
      reposts +=
          count(
              """
              SELECT count(*) FROM company_published_posts c JOIN published_posts p
                  ON p.id = c.published_post_id
               WHERE p.scheduled_post_id = :id AND c.status = 'published'""",
              r.id());
    }
    long companyCreated = sandbox.posts().stream().filter(p -> p.text().startsWith(PREFIX)).count();
    duplicates += Math.max(0, companyCreated - reposts);
    out.printf(
        Locale.ROOT,
        "      company page: %d re-posts published (\"%s …\"), %d created at the sandbox%n",
        reposts,
        PREFIX,
        companyCreated);
    out.printf(
        Locale.ROOT,
        "      once each: %d rows published, %d posts at the sandbox from %d create calls,"
            + " %d duplicates%n",
        published + reposts,
        sandbox.posts().size(),
        sandbox.createCalls(),
        duplicates);
    return published == POSTS && reposts == POSTS && duplicates == 0 ? 0 : 1;
  }

  private long count(String sql, UUID id) {
    return jdbc.queryOne(sql, Params.of("id", id), rs -> rs.getLong(1)).orElse(0L);
  }

  private UUID account(String accountId, UUID profile) {
    return jdbc.queryOne(
            """
            INSERT INTO unipile_accounts (profile_id, account_id, status, display_name)
            VALUES (:profile, :account, 'connected', 'SYNTHETIC demo account')
            ON CONFLICT (account_id) DO UPDATE SET status = 'connected', profile_id = :profile,
                                                   provider_id = NULL
            RETURNING id""",
            Params.of("profile", profile, "account", accountId),
            rs -> rs.getObject(1, UUID.class))
        .orElseThrow();
  }

  private UUID companyPage(UUID account) {
    Optional<UUID> known =
        jdbc.queryOne(
            "SELECT id FROM company_pages WHERE linkedin_company_id = :id",
            Params.of("id", COMPANY_ID),
            rs -> rs.getObject(1, UUID.class));
    return known.orElseGet(
        () ->
            jdbc.queryOne(
                    """
                    INSERT INTO company_pages (unipile_account_id, name, linkedin_company_id)
                    VALUES (:account, 'SYNTHETIC Company', :id) RETURNING id""",
                    Params.of("account", account, "id", COMPANY_ID),
                    rs -> rs.getObject(1, UUID.class))
                .orElseThrow());
  }

  @Override
  public void close() {
    try {
      jdbc.update(
          "UPDATE unipile_accounts SET status = 'disconnected' WHERE account_id IN (:a, :b)",
          Params.of("a", PERSON_ACCOUNT, "b", COMPANY_ACCOUNT));
      if (!hadCycleSchedule) {
        schedules.delete(PublishingJobs.SCHEDULE_NAME);
      }
    } finally {
      sandbox.close();
    }
  }
}
