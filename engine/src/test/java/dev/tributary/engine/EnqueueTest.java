package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnqueueTest {
  HikariDataSource db;
  SettableClock clock = SettableClock.startingNow();
  Jobs jobs;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
    jobs = new Jobs(db, clock, null);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void an_enqueued_job_is_available_with_its_kind_args_and_the_default_options() {
    EnqueueResult r = jobs.enqueue("send_email", Map.of("to", "a@example.com"));
    Job job = jobs.get(r.jobId()).orElseThrow();
    assertThat(r.inserted()).isTrue();
    assertThat(job.kind()).isEqualTo("send_email");
    assertThat(job.args().get("to").asText()).isEqualTo("a@example.com");
    assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(job.queue()).isEqualTo(EnqueueOptions.DEFAULT_QUEUE);
    assertThat(job.priority()).isEqualTo(EnqueueOptions.DEFAULT_PRIORITY);
    assertThat(job.maxAttempts()).isEqualTo(EnqueueOptions.DEFAULT_MAX_ATTEMPTS);
    assertThat(job.attempt()).isZero();
    assertThat(job.runAt()).isEqualTo(clock.instant());
  }

  @Test
  void the_sql_function_and_the_java_enqueue_use_the_same_defaults() throws SQLException {
    long id;
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT job_id FROM tributary.enqueue_job('from_sql')")) {
      rs.next();
      id = rs.getLong(1);
    }
    Job fromSql = jobs.get(id).orElseThrow();
    Job fromJava = jobs.get(jobs.enqueue("from_java", null).jobId()).orElseThrow();
    assertThat(fromSql.queue()).isEqualTo(fromJava.queue());
    assertThat(fromSql.priority()).isEqualTo(fromJava.priority());
    assertThat(fromSql.maxAttempts()).isEqualTo(fromJava.maxAttempts());
    assertThat(fromSql.args()).isEqualTo(fromJava.args());
    assertThat(fromSql.state()).isEqualTo(fromJava.state());
  }

  @Test
  void a_second_enqueue_with_a_live_unique_key_is_a_no_op_and_says_so() {
    EnqueueOptions keyed = EnqueueOptions.defaults().uniqueKey("embed:post:42");
    EnqueueResult first = jobs.enqueue("embed", Map.of("post", 42), keyed);
    EnqueueResult second = jobs.enqueue("embed", Map.of("post", 42), keyed);
    assertThat(first.inserted()).isTrue();
    assertThat(second.inserted()).isFalse();
    assertThat(second.deduplicated()).isTrue();
    assertThat(second.jobId()).isEqualTo(first.jobId());
    assertThat(jobs.list(JobFilter.all().kind("embed"))).hasSize(1);
  }

  @Test
  void java_and_sql_enqueues_dedup_against_each_other() throws SQLException {
    EnqueueResult fromJava =
        jobs.enqueue("embed", Map.of(), EnqueueOptions.defaults().uniqueKey("k1"));
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT job_id, inserted FROM tributary.enqueue_job('embed', unique_key => 'k1')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(fromJava.jobId());
      assertThat(rs.getBoolean(2)).isFalse();
    }
  }

  @Test
  void a_finished_job_frees_its_unique_key() throws SQLException {
    EnqueueOptions keyed = EnqueueOptions.defaults().uniqueKey("k");
    long first = jobs.enqueue("x", null, keyed).jobId();
    assertThat(jobs.cancel(first)).isEqualTo(ChangeOutcome.CHANGED);
    EnqueueResult again = jobs.enqueue("x", null, keyed);
    assertThat(again.inserted()).isTrue();
    assertThat(again.jobId()).isNotEqualTo(first);
  }

  @Test
  void an_enqueue_on_the_callers_connection_vanishes_with_its_rollback() throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      jobs.enqueue(c, NewJob.of("in_tx", Map.of()));
      jobs.enqueueMany(c, List.of(NewJob.of("in_tx", Map.of()), NewJob.of("in_tx", Map.of())));
      c.rollback();
    }
    assertThat(jobs.list(JobFilter.all().kind("in_tx"))).isEmpty();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      jobs.enqueue(c, NewJob.of("in_tx", Map.of()));
      c.commit();
    }
    assertThat(jobs.list(JobFilter.all().kind("in_tx"))).hasSize(1);
  }

  @Test
  void enqueue_many_returns_ids_in_input_order_and_dedups_within_the_batch() {
    List<EnqueueResult> plain =
        jobs.enqueueMany(
            List.of(
                NewJob.of("a", Map.of("i", 0)),
                NewJob.of("a", Map.of("i", 1)),
                NewJob.of("a", Map.of("i", 2))));
    for (int i = 0; i < 3; i++) {
      assertThat(jobs.get(plain.get(i).jobId()).orElseThrow().args().get("i").asInt()).isEqualTo(i);
    }
    EnqueueOptions k = EnqueueOptions.defaults().uniqueKey("same");
    List<EnqueueResult> keyed =
        jobs.enqueueMany(
            List.of(
                NewJob.of("b", Map.of("i", 0), k),
                NewJob.of("b", Map.of("i", 1)),
                NewJob.of("b", Map.of("i", 2), k)));
    assertThat(keyed).extracting(EnqueueResult::inserted).containsExactly(true, true, false);
    assertThat(keyed.get(2).jobId()).isEqualTo(keyed.get(0).jobId());
    assertThat(jobs.get(keyed.get(1).jobId()).orElseThrow().args().get("i").asInt()).isEqualTo(1);
  }

  @Test
  void options_carry_queue_priority_run_at_and_attempts() {
    var when = clock.instant().plus(Duration.ofHours(2));
    long id =
        jobs.enqueue(
                "later",
                null,
                EnqueueOptions.defaults().queue("slow").priority(7).runAt(when).maxAttempts(3))
            .jobId();
    Job job = jobs.get(id).orElseThrow();
    assertThat(job.queue()).isEqualTo("slow");
    assertThat(job.priority()).isEqualTo(7);
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.runAt()).isEqualTo(when);
  }

  @Test
  void bad_options_are_refused_before_reaching_the_database() {
    assertThatThrownBy(() -> EnqueueOptions.defaults().priority(10))
        .hasMessageContaining("priority");
    assertThatThrownBy(() -> EnqueueOptions.defaults().maxAttempts(0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> NewJob.of(" ", null)).hasMessageContaining("kind");
    assertThatThrownBy(() -> EnqueueOptions.defaults().queue("")).hasMessageContaining("queue");
  }

  @Test
  void the_sql_function_refuses_an_empty_kind() {
    assertThatThrownBy(
            () -> {
              try (Connection c = db.getConnection();
                  PreparedStatement s = c.prepareStatement("SELECT tributary.enqueue_job('')")) {
                s.executeQuery();
              }
            })
        .hasMessageContaining("kind must not be empty");
  }

  @Test
  void a_trigger_can_turn_a_row_change_into_a_job_in_the_same_transaction() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE TABLE posts (id bigint PRIMARY KEY, needs_embedding boolean NOT NULL DEFAULT true);
          CREATE FUNCTION posts_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.needs_embedding THEN
              PERFORM tributary.enqueue_job('embed_post', jsonb_build_object('id', NEW.id),
                                            unique_key => 'embed_post:' || NEW.id);
            END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER posts_enqueue AFTER INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION posts_enqueue();
          INSERT INTO posts (id) SELECT g FROM generate_series(1, 5) g;
          UPDATE posts SET needs_embedding = true WHERE id = 1;
          """);
    }
    assertThat(jobs.list(JobFilter.all().kind("embed_post"))).hasSize(5);
  }
}
