package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.NewJob;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.dropin.CronCommands;
import dev.tributary.pipelines.vectorsync.VectorSyncAdmin;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.search.SearchService;
import dev.tributary.testing.PgBouncer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database through Debian's PgBouncer in transaction mode (a pool of 5 server
 * connections), started by the test from its own ini. Each transaction may run on another server
 * session, so nothing may rely on one: the driver's named prepared statements, LISTEN, session
 * {@code SET}s and session locks. Migrations, jobs, cron, vector sync and the search index catch-up
 * all go through the pooler.
 */
class PgBouncerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int JOBS = 300;

  private HikariDataSource direct;
  private PgBouncer bouncer;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(
        PgBouncer.installed(),
        "no PgBouncer here: install Debian's pgbouncer (.ci/run does); the PgBouncer test is skipped");
    direct = TestPostgres.freshDatabase(); // empty: the nodes migrate it through the pooler
    bouncer = PgBouncer.transactionMode("127.0.0.1", TestPostgres.server().getPort(), 5);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    if (bouncer != null) {
      bouncer.close();
    }
    if (direct != null) {
      direct.close();
    }
  }

  private TributaryConfig config(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("DATABASE_URL", bouncer.jdbcUrl(databaseName()));
    env.put("DATABASE_POOLER", "transaction");
    env.put("TRIBUTARY_DB_POOL_SIZE", "8");
    return TributaryConfig.from(env);
  }

  private String databaseName() {
    String url = direct.getJdbcUrl();
    return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
  }

  /** A database opened (and migrated) through the pooler, as {@code serve} does. */
  private Database open(TributaryConfig config) {
    Database db = Database.open(config);
    closing.add(db);
    db.migrate();
    return db;
  }

  private TributaryNode node(TributaryConfig config, Database db, String id) {
    TributaryNode node =
        TributaryNode.start(
            config,
            db.dataSource(),
            db.webDataSource(),
            new TributaryNode.Options(id, 4, null),
            AiProviders.local(new HashingEmbedder("test/hash")));
    closing.add(node);
    return node;
  }

  private long count(String sql) {
    return new Jdbc(direct)
        .queryOne(sql, Params.NONE, rs -> rs.getLong(1))
        .orElseThrow(() -> new AssertionError("no row: " + sql));
  }

  private void execute(String sql) {
    try (Connection c = direct.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static List<String> found(SearchService search, String text) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results =
        (List<Map<String, Object>>)
            search
                .searchText(new SearchService.TextQuery(text, null, 0.3, 20, null))
                .get("results");
    return results.stream().map(r -> String.valueOf(r.get("source_id"))).toList();
  }

  @Test
  void
      two_nodes_behind_a_transaction_pooler_run_jobs_once_fire_cron_once_and_keep_search_current() {
    TributaryConfig config = config(Map.of());
    Database dbA = open(config);
    Database dbB = open(config);
    execute("CREATE TABLE pgb_runs (n int NOT NULL)");
    execute("CREATE TABLE pgb_ticks (at timestamptz NOT NULL DEFAULT clock_timestamp())");
    execute("CREATE TABLE pgb_notes (note_id bigserial PRIMARY KEY, body text NOT NULL)");
    execute(
        "INSERT INTO pgb_notes (body) SELECT 'note ' || g || ' on harbour cranes and tides' FROM generate_series(1, 40) g");
    TributaryNode a = node(config, dbA, "pgb-a");
    TributaryNode b = node(config, dbB, "pgb-b");
    assertThat(a.engine().listening()).isFalse();
    assertThat(b.search().index()).isNotNull();

    // jobs: a few hundred through node A's pool, each an SQL command run once by either node
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(
          NewJob.of(
              CronCommands.KIND,
              Map.of("name", "pgb-once", "command", "INSERT INTO pgb_runs (n) VALUES (" + i + ")"),
              EnqueueOptions.defaults().queue(CronCommands.QUEUE).maxAttempts(1)));
    }
    a.engine().jobs().enqueueMany(jobs);

    // cron: a two-second schedule made with pg_cron's function, through node B's pool
    new Jdbc(dbB.dataSource())
        .queryOne(
            "SELECT cron.schedule('pgb-tick', '2 seconds', 'INSERT INTO pgb_ticks DEFAULT VALUES')",
            Params.NONE,
            rs -> rs.getLong(1));

    // vector sync: a table registered through node A's pool; its rows embedded by the nodes' jobs
    assertThat(new VectorSyncAdmin(dbA.dataSource()).register("pgb_notes", "note_id", "body", null))
        .isEqualTo(40);

    Await.until(
        () -> "every job run: " + count("SELECT count(*) FROM pgb_runs") + " of " + JOBS,
        WAIT,
        Duration.ofMillis(50),
        () -> count("SELECT count(*) FROM pgb_runs") >= JOBS);
    assertThat(count("SELECT count(DISTINCT n) FROM pgb_runs")).isEqualTo(JOBS);
    assertThat(
            count("SELECT count(*) FROM (SELECT n FROM pgb_runs GROUP BY n HAVING count(*) > 1) d"))
        .isZero();

    // a row written after the backfill becomes searchable on both nodes
    String id =
        new Jdbc(direct)
            .queryOne(
                "INSERT INTO pgb_notes (body) VALUES ('lighthouse keeper logbook of winter storms')"
                    + " RETURNING note_id::text",
                Params.NONE,
                rs -> rs.getString(1))
            .orElseThrow();
    SearchService searchA = a.search().service(dbA.webDataSource());
    SearchService searchB = b.search().service(dbB.webDataSource());
    Await.until(
        "the new note is found on both nodes",
        WAIT,
        () ->
            found(searchA, "lighthouse keeper logbook of winter storms").contains(id)
                && found(searchB, "lighthouse keeper logbook of winter storms").contains(id));
    Await.until(
        "the backfilled notes are found on both nodes",
        WAIT,
        () ->
            found(searchA, "note 7 on harbour cranes and tides").size() > 1
                && found(searchB, "note 7 on harbour cranes and tides").size() > 1);

    // cron: at least three ticks, each fired once across the two nodes and run once
    Await.until(
        () -> "three ticks run: " + count("SELECT count(*) FROM pgb_ticks"),
        WAIT,
        Duration.ofMillis(100),
        () -> count("SELECT count(*) FROM pgb_ticks") >= 3);
    a.engine().schedules().disable("pgb-tick");
    Await.until(
        "every fired tick's command finished",
        WAIT,
        () ->
            count(
                    "SELECT count(*) FROM tributary.jobs WHERE kind = 'cron.command'"
                        + " AND state IN ('available', 'running')")
                == 0);
    long fires =
        count("SELECT count(*) FROM tributary.schedule_fires WHERE schedule_name = 'pgb-tick'");
    assertThat(count("SELECT count(*) FROM pgb_ticks")).isEqualTo(fires);
    assertThat(
            count(
                "SELECT count(*) FROM tributary.schedule_fires f JOIN tributary.jobs j ON j.id = f.job_id"
                    + " WHERE f.schedule_name = 'pgb-tick' AND j.state = 'completed'"))
        .isEqualTo(fires);

    // no job failed, and the driver never tripped over a statement another session prepared
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE state IN ('dead', 'cancelled')"))
        .as("dead jobs")
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM tributary.jobs WHERE last_error ILIKE '%prepared statement%'"))
        .isZero();
    assertThat(bouncer.log()).doesNotContainIgnoringCase("prepared statement");
  }

  @Test
  void request_queries_time_out_through_the_pooler_and_leave_no_session_setting_behind() {
    TributaryConfig config = config(Map.of("TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS", "300"));
    Database db = open(config);
    Jdbc web = new Jdbc(db.webDataSource());
    assertThatThrownBy(() -> web.query("SELECT pg_sleep(5)", Params.NONE, rs -> 1))
        .hasMessageContaining("cancel");
    // the timeout is the driver's, per statement: no server session keeps a statement_timeout
    for (int i = 0; i < 10; i++) {
      assertThat(
              new Jdbc(db.dataSource())
                  .queryOne("SHOW statement_timeout", Params.NONE, rs -> rs.getString(1)))
          .contains("0");
    }
  }

  @Test
  void an_engine_that_listens_through_the_pooler_finds_out_and_polls_instead() {
    TributaryConfig config = config(Map.of());
    Database db = open(config);
    AtomicInteger ran = new AtomicInteger();
    try (Engine engine =
        Engine.builder(db.dataSource())
            .nodeId("pgb-deaf")
            .queue("default", 2)
            .handler("pgb.count", ctx -> ran.incrementAndGet())
            .listenProbeTimeout(Duration.ofMillis(500))
            .build()
            .start()) {
      Await.until("the listener gives up", Duration.ofSeconds(10), () -> !engine.listening());
      engine.jobs().enqueue("pgb.count", Map.of());
      Await.until("the job runs by polling", WAIT, () -> ran.get() == 1);
    }
  }
}
