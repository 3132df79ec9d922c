package dev.tributary.pipelines.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.Engine;
import dev.tributary.engine.JobFilter;
import dev.tributary.engine.JobState;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pg_net's SQL interface (V101) as engine jobs, against a real HTTP server. */
class NetDropInTest {
  private final Rows db = Rows.fresh();
  private final FakeHttpServer server = new FakeHttpServer();
  private Engine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    server.close();
    db.close();
  }

  /** Real clock, retries after 10-20 ms: the backoff is the engine's, shortened for the test. */
  private void startEngine() {
    engine =
        new DropIn(db.dataSource())
            .register(TestEngines.builder(db.dataSource(), Clock.systemUTC(), "n1"))
            .retryPolicy(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), 0))
            .build();
    engine.start();
  }

  private String error(String sql) {
    return db.failure(sql).getMessage();
  }

  private Map<String, Object> response(long id) {
    Await.until(
        "request " + id + " has an answer",
        () -> db.count("SELECT count(*) FROM net._http_response WHERE id = ?", id) == 1);
    return db.row("SELECT * FROM net._http_response WHERE id = ?", id);
  }

  @Test
  void http_post_returns_an_id_at_once_and_the_answer_lands_in_http_response() {
    server.enqueue(Reply.json(200, "{\"ok\":true}"));
    long id =
        db.count(
            "SELECT net.http_post(url := ?, headers := jsonb_build_object('Authorization', 'Bearer k1',"
                + " 'Content-Type', 'application/json'), body := jsonb_build_object('max_profiles', 50))",
            server.baseUrl() + "/functions/v1/sync-profiles");
    assertThat(server.requests()).isEmpty(); // no engine yet: nothing was sent in the call
    startEngine();
    Map<String, Object> r = response(id);
    assertThat(r)
        .containsEntry("status_code", 200)
        .containsEntry("content", "{\"ok\":true}")
        .containsEntry("content_type", "application/json")
        .containsEntry("timed_out", false);
    assertThat(r.get("error_msg")).isNull();
    assertThat(r.keySet())
        .contains("id", "status_code", "headers", "content", "timed_out", "error_msg", "created");
    FakeHttpServer.Request sent = server.requests().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/functions/v1/sync-profiles");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer k1");
    assertThat(sent.body()).isEqualTo("{\"max_profiles\": 50}");
    // done: the queued copy (with its bearer) is gone, as pg_net deletes it
    assertThat(db.count("SELECT count(*) FROM net.http_request_queue WHERE id = ?", id)).isZero();
  }

  @Test
  void a_request_of_a_rolled_back_transaction_is_never_sent() throws Exception {
    startEngine();
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SELECT net.http_get('" + server.baseUrl() + "/never')");
      c.rollback();
    }
    server.enqueue(Reply.json(200, "{}"));
    long sent =
        db.count(
            "SELECT net.http_get(?, params := '{\"a\": \"1 2\"}')", server.baseUrl() + "/after");
    response(sent);
    assertThat(server.requests())
        .extracting(FakeHttpServer.Request::path)
        .containsExactly("/after");
    assertThat(server.requests().get(0).query()).containsEntry("a", "1 2");
    assertThat(db.count("SELECT count(*) FROM net.http_request_queue")).isZero();
  }

  @Test
  void server_errors_and_429_are_retried_and_the_final_answer_is_recorded() {
    server.enqueue(
        Reply.json(503, "{\"message\":\"busy\"}"),
        Reply.json(429, "{\"message\":\"slow down\"}").withHeader("Retry-After", "0"),
        Reply.json(201, "{\"id\":7}"));
    startEngine();
    long id = db.count("SELECT net.http_post(?, '{\"a\":1}'::jsonb)", server.baseUrl() + "/x");
    Await.until(
        "the third attempt's answer",
        () ->
            db.count(
                    "SELECT count(*) FROM net._http_response WHERE id = ? AND status_code = 201",
                    id)
                == 1);
    assertThat(server.requests()).hasSize(3);
    assertThat(server.requests().get(0).header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void a_request_that_keeps_failing_gives_up_after_five_attempts_with_its_error_recorded() {
    server.otherwise(r -> Reply.json(500, "{\"message\":\"down\"}"));
    startEngine();
    long id = db.count("SELECT net.http_post(?)", server.baseUrl() + "/down");
    Await.until(
        "the job is dead",
        () ->
            engine.jobs().list(JobFilter.all().kind(NetRequests.KIND)).stream()
                .anyMatch(j -> j.state() == JobState.DEAD));
    assertThat(server.requests()).hasSize(NetRequests.MAX_ATTEMPTS);
    assertThat(response(id)).containsEntry("status_code", 500);
  }

  @Test
  void a_4xx_is_an_answer_not_retried() {
    server.enqueue(Reply.json(401, "{\"message\":\"bad key\"}"));
    startEngine();
    long id = db.count("SELECT net.http_get(?)", server.baseUrl() + "/auth");
    assertThat(response(id)).containsEntry("status_code", 401);
    Await.until(
        "the job completed",
        () ->
            engine.jobs().list(JobFilter.all().kind(NetRequests.KIND)).stream()
                .allMatch(j -> j.state() == JobState.COMPLETED));
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void a_timeout_is_recorded_as_timed_out() {
    server.otherwise(r -> Reply.hang());
    startEngine();
    long id =
        db.count("SELECT net.http_get(?, timeout_milliseconds := 200)", server.baseUrl() + "/slow");
    Map<String, Object> r = response(id);
    assertThat(r).containsEntry("timed_out", true);
    assertThat(r.get("error_msg").toString()).contains("Timeout of 200 ms reached");
    assertThat(r.get("status_code")).isNull();
  }

  @Test
  void bad_input_gives_clear_sql_errors_and_queues_nothing() {
    assertThat(error("SELECT net.http_post('not a url')")).contains("invalid url: not a url");
    assertThat(error("SELECT net.http_post('ftp://example.com/x')")).contains("invalid url");
    assertThat(error("SELECT net.http_post('http://example.com', body := 'not json')"))
        .contains("invalid input syntax for type json");
    assertThat(error("SELECT net.http_post('http://example.com', headers := '[1,2]'::jsonb)"))
        .contains("headers must be a JSON object");
    assertThat(error("SELECT net.http_post('http://example.com', headers := '{\"a\": 1}'::jsonb)"))
        .contains("headers must be a JSON object of strings");
    assertThat(error("SELECT net.http_get('http://example.com', timeout_milliseconds := 0)"))
        .contains("timeout_milliseconds must be between 1 and 300000");
    assertThat(db.count("SELECT count(*) FROM net.http_request_queue")).isZero();
    assertThat(db.count("SELECT count(*) FROM tributary.jobs")).isZero();
  }

  @Test
  void a_trigger_calling_http_post_sends_once_per_committed_row() {
    // seed 003's "Option B": a trigger on the queue table calls the function endpoint
    db.update("CREATE TABLE edge_function_url (url text)");
    db.update(
        """
        CREATE FUNCTION notify_edge_function() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM net.http_post(
            url := (SELECT url FROM edge_function_url),
            headers := '{"Authorization": "Bearer service"}'::jsonb,
            body := jsonb_build_object('action', 'process', 'source_id', NEW.source_id));
          RETURN NEW;
        END $$""");
    db.update(
        "CREATE TRIGGER notify_embedding_update AFTER INSERT ON embedding_sync_queue"
            + " FOR EACH ROW EXECUTE FUNCTION notify_edge_function()");
    db.update(
        "INSERT INTO edge_function_url VALUES (?)",
        server.baseUrl() + "/functions/v1/process-embedding-queue");
    server.otherwise(r -> Reply.json(200, "{\"success\":true}"));
    startEngine();
    db.update(
        "INSERT INTO embedding_sync_queue (source_table, source_id, action, content)"
            + " VALUES ('faq_items', '1', 'insert', 'Q + A')");
    Await.until("the trigger's request was sent", () -> server.requests().size() == 1);
    assertThat(server.requests().get(0).body()).contains("\"source_id\": \"1\"");
  }
}
