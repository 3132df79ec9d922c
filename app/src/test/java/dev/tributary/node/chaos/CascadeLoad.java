package dev.tributary.node.chaos;

import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The enrichment cascade under the faults: posts inserted into {@code viral_posts_bank} over the
 * run, each flagged by the schema's triggers and carried through the five post workers (hook,
 * embedding, hook type, topic, audience) as engine jobs on the nodes. A trigger of the harness
 * counts every store of a step's result per post ({@code chaos_post_stores}), so a post processed
 * twice shows as a second store.
 *
 * <p>A post claimed by a worker that was killed, or whose store failed while its connection was
 * cut, keeps its claim stamp until the stamp is 10 minutes old ({@code PostQueue.STALE_AFTER}).
 * Once the cluster is idle the harness ages such stamps by those 10 minutes (the clock jump the
 * rule waits for) and lets the reconcile wake the workers; those posts are counted as held.
 */
final class CascadeLoad {
  static final String URL_PREFIX = "https://example.invalid/chaos/";
  private static final int PROFILES = 20;
  private static final String[] STEPS = {
    "hook", "embedding", "hook_type_id", "topic_id", "audience_id"
  };
  private static final String[] LOCKS = {
    "hook_extraction_locked_at",
    "embedding_locked_at",
    "hook_classification_locked_at",
    "topic_classification_locked_at",
    "audience_classification_locked_at"
  };
  static final String FLAGGED =
      "(needs_hook_extraction OR needs_embedding OR needs_hook_classification"
          + " OR needs_topic_classification OR needs_audience_classification)";

  /** A post's result missing although nothing flags it: the cascade dropped it. */
  private static final String UNFINISHED =
      FLAGGED
          + " OR hook IS NULL OR embedding IS NULL OR ((hook_type_id IS NULL OR topic_id IS NULL"
          + " OR audience_id IS NULL) AND classification_error IS NULL)";

  private final int posts;
  private final AtomicBoolean feeding = new AtomicBoolean(true);
  private final AtomicLong inserted = new AtomicLong();
  private Thread feeder;

  /** Measured by {@link #finish}. */
  private long lost;

  private long twice;
  private long stores;
  private long inTable;
  private long errored;
  private long heldUnclaimed;
  private final List<Instant> heldClaims = new ArrayList<>();
  private final List<Instant> secondStores = new ArrayList<>();

  CascadeLoad(int posts) {
    this.posts = posts;
  }

  void prepare(ChaosRun run) {
    StringBuilder sql =
        new StringBuilder(
            """
            CREATE TABLE chaos_post_stores (
              post_id uuid NOT NULL, step text NOT NULL,
              at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE INDEX chaos_post_stores_post ON chaos_post_stores (post_id, step);
            CREATE FUNCTION chaos_count_store() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO chaos_post_stores (post_id, step) VALUES (NEW.id, TG_ARGV[0]);
              RETURN NULL;
            END $$;
            """);
    for (String step : STEPS) {
      sql.append(
          "CREATE TRIGGER chaos_store_%1$s AFTER UPDATE OF %1$s ON viral_posts_bank FOR EACH ROW WHEN (NEW.%1$s IS NOT NULL) EXECUTE FUNCTION chaos_count_store('%1$s');\n"
              .formatted(step));
    }
    sql.append("INSERT INTO profiles (id, full_name, linkedin_id, type) SELECT")
        .append(" ('00000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid,")
        .append(" 'Chaos Author ' || n, 'chaos-' || n, 'internal'")
        .append(" FROM generate_series(1, ")
        .append(PROFILES)
        .append(") n");
    run.execute(sql.toString());
  }

  /** Inserts the posts in batches spread over the planned run. */
  void start(ChaosRun run) {
    int perTick = Math.max(1, (int) Math.ceil(posts / (run.settings().plannedSeconds() * 4)));
    feeder =
        new Thread(
            () -> {
              long n = 0;
              while (feeding.get() && n < posts) {
                int size = (int) Math.min(perTick, posts - n);
                try {
                  insert(run, n, size);
                  n += size;
                  inserted.addAndGet(size);
                } catch (SQLException | RuntimeException e) {
                  // the server is down or the connection was cut: the same batch again
                }
                ChaosRun.sleep(250);
              }
            },
            "chaos-posts");
    feeder.setDaemon(true);
    feeder.start();
  }

  private static void insert(ChaosRun run, long from, int size) throws SQLException {
    UUID[] authors = new UUID[size];
    String[] urls = new String[size];
    String[] contents = new String[size];
    for (int i = 0; i < size; i++) {
      long n = from + i;
      authors[i] =
          UUID.fromString(String.format("00000000-0000-0000-0000-%012d", n % PROFILES + 1));
      urls[i] = URL_PREFIX + n;
      contents[i] = PostTexts.of(n);
    }
    try (Connection c = run.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                // a batch whose commit went through but whose answer was lost (the server
                // crashed) is sent again: its posts are there already
                "INSERT INTO viral_posts_bank (author_id, post_url, content)"
                    + " SELECT a, u, t FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(a, u, t)"
                    + " ON CONFLICT (post_url) DO NOTHING")) {
      Array a = c.createArrayOf("uuid", authors);
      s.setArray(1, a);
      s.setArray(2, c.createArrayOf("text", urls));
      s.setArray(3, c.createArrayOf("text", contents));
      s.executeUpdate();
    }
  }

  long inserted() {
    return inserted.get();
  }

  /**
   * Stops inserting, waits while the flagged posts still go down, releases the claims of dead
   * workers (see the class comment) and waits again; then counts what was lost or done twice.
   */
  void finish(ChaosRun run) throws Exception {
    feeding.set(false);
    feeder.join(60_000);
    settle(run);
    if (run.queryLong("SELECT count(*) FROM viral_posts_bank WHERE " + FLAGGED) > 0) {
      releaseDeadClaims(run);
      settle(run);
    }
    inTable =
        run.queryLong(
            "SELECT count(*) FROM viral_posts_bank WHERE post_url LIKE ?", URL_PREFIX + "%");
    long unfinished =
        run.queryLong(
            "SELECT count(*) FROM viral_posts_bank WHERE post_url LIKE ? AND (" + UNFINISHED + ")",
            URL_PREFIX + "%");
    errored =
        run.queryLong(
            "SELECT count(*) FROM viral_posts_bank WHERE post_url LIKE ? AND classification_error IS NOT NULL",
            URL_PREFIX + "%");
    lost = Math.max(0, inserted.get() - inTable) + unfinished;
    readSecondStores(run);
    twice = secondStores.size();
    stores = run.queryLong("SELECT count(*) FROM chaos_post_stores");
  }

  /**
   * Waits until no post is flagged, or their number stopped going down for the recovery limit, or
   * every flagged post is under a claim while no cascade job runs (nothing can move them before
   * their claims are stale).
   */
  private static void settle(ChaosRun run) {
    long left = Long.MAX_VALUE;
    long progressAt = System.currentTimeMillis();
    long limit = run.settings().recoveryLimit().toMillis();
    while (left > 0 && System.currentTimeMillis() - progressAt < limit) {
      long now = run.queryLong("SELECT count(*) FROM viral_posts_bank WHERE " + FLAGGED);
      if (now < left) {
        left = now;
        progressAt = System.currentTimeMillis();
      }
      if (now > 0
          && System.currentTimeMillis() - progressAt > 2_000
          && run.queryLong(
                  "SELECT count(*) FROM viral_posts_bank WHERE "
                      + FLAGGED
                      + " AND NOT "
                      + anyClaim())
              == 0
          && run.queryLong(
                  "SELECT count(*) FROM tributary.jobs WHERE queue = 'cascade' AND state = 'running'")
              == 0) {
        return;
      }
      ChaosRun.sleep(500);
    }
  }

  /** Whether any of a post's five claim stamps is set. */
  private static String anyClaim() {
    StringBuilder any = new StringBuilder("(");
    for (int i = 0; i < LOCKS.length; i++) {
      any.append(i == 0 ? "" : " OR ").append(LOCKS[i]).append(" IS NOT NULL");
    }
    return any.append(")").toString();
  }

  /**
   * Posts still flagged once the cluster is idle: those under a claim stamp are aged past the stale
   * limit (no live worker holds them: no cascade job runs), and the reconcile wakes their workers.
   */
  private void releaseDeadClaims(ChaosRun run) throws SQLException {
    while (run.queryLong(
            "SELECT count(*) FROM tributary.jobs WHERE queue = 'cascade' AND state = 'running'")
        > 0) {
      ChaosRun.sleep(200);
    }
    String claimed = "least(" + String.join(", ", LOCKS) + ")";
    String anyClaim = anyClaim();
    try (Connection c = run.dataSource().getConnection()) {
      try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + claimed
                      + " FROM viral_posts_bank WHERE "
                      + FLAGGED
                      + " AND "
                      + anyClaim);
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          heldClaims.add(rs.getTimestamp(1).toInstant());
        }
      }
      heldUnclaimed =
          run.queryLong(
              "SELECT count(*) FROM viral_posts_bank WHERE " + FLAGGED + " AND NOT " + anyClaim);
      StringBuilder age = new StringBuilder("UPDATE viral_posts_bank SET ");
      for (int i = 0; i < LOCKS.length; i++) {
        age.append(i == 0 ? "" : ", ")
            .append(LOCKS[i])
            .append(" = ")
            .append(LOCKS[i])
            .append(" - interval '10 minutes'");
      }
      try (PreparedStatement s =
          c.prepareStatement(age + " WHERE " + FLAGGED + " AND " + anyClaim)) {
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("SELECT reconcile_cascade_jobs()")) {
        s.execute();
      }
    }
  }

  /** The time of every store after a post's first of the same step. */
  private void readSecondStores(ChaosRun run) throws SQLException {
    try (Connection c = run.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                """
                SELECT at FROM (
                  SELECT at, row_number() OVER (PARTITION BY post_id, step ORDER BY at) AS nth
                    FROM chaos_post_stores) x
                 WHERE nth > 1""");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        secondStores.add(rs.getTimestamp(1).toInstant());
      }
    }
  }

  /** {twice, held} for the scenario [s.start, to). */
  long[] during(Scenario s, Instant to) {
    return new long[] {count(secondStores, s.start(), to), count(heldClaims, s.start(), to)};
  }

  private static long count(List<Instant> times, Instant from, Instant to) {
    return times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
  }

  long lost() {
    return lost;
  }

  long twice() {
    return twice;
  }

  /** Step results stored, counted by the trigger: five per post when none ran twice. */
  long stores() {
    return stores;
  }

  String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "cascade: posts inserted=%d in the table=%d lost=%d step results stored=%d (5 steps a"
            + " post) processed twice=%d (step stores after the first) held by dead claims=%d (released by the 10-minute stale rule, aged by"
            + " the harness) left flagged without a claim=%d (woken by the reconcile)"
            + " classification errors=%d",
        inserted.get(),
        inTable,
        lost,
        stores,
        twice,
        heldClaims.size(),
        heldUnclaimed,
        errored);
  }
}
