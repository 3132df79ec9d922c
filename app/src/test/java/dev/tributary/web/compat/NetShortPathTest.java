package dev.tributary.web.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.testing.Await;
import dev.tributary.node.TributaryNode;
import dev.tributary.testing.Rows;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code net.http_post} to this deployment's own {@code /functions/v1/*} takes the short path to
 * the serving node: the public URL's host ({@code .invalid}, which never resolves) is never looked
 * up, and the function's own access check answers as it would from outside.
 */
class NetShortPathTest {
  private static final String SERVICE_KEY = "short-path-service-key";
  private static final String PUBLIC_URL = "https://tributary.invalid";

  private final Rows db = Rows.fresh();
  private TributaryNode node;

  @BeforeEach
  void start() {
    node =
        TributaryNode.start(
            TributaryConfig.from(
                Map.of("TRIBUTARY_PUBLIC_URL", PUBLIC_URL, "SERVICE_ROLE_KEY", SERVICE_KEY)),
            db.dataSource(),
            new TributaryNode.Options("short-path-node", 2, 0));
  }

  @AfterEach
  void close() {
    node.close();
    db.close();
  }

  private long post(String path, String key) {
    return db.count(
        "SELECT net.http_post(url := get_supabase_url() || ?,"
            + " headers := jsonb_build_object('Authorization', 'Bearer ' || ?), body := '{}'::jsonb)",
        path,
        key);
  }

  private Map<String, Object> answer(long id) {
    Await.until(
        "request " + id + " has an answer",
        Duration.ofSeconds(30),
        () -> db.count("SELECT count(*) FROM net._http_response WHERE id = ?", id) == 1);
    return db.row("SELECT * FROM net._http_response WHERE id = ?", id);
  }

  @Test
  void a_function_of_this_deployment_is_called_on_the_node_itself_with_its_own_auth() {
    assertThat(db.text("SELECT get_supabase_url()")).isEqualTo(PUBLIC_URL);

    Map<String, Object> ok = answer(post("/functions/v1/process-embedding-queue", SERVICE_KEY));
    assertThat(ok).containsEntry("status_code", 200).containsEntry("timed_out", false);
    assertThat(ok.get("content").toString()).contains("\"action\":\"process\"");

    Map<String, Object> refused =
        answer(post("/functions/v1/process-embedding-queue", "not-the-key"));
    assertThat(refused).containsEntry("status_code", 401);
    assertThat(refused.get("content").toString()).doesNotContain(SERVICE_KEY);
  }

  @Test
  void other_paths_of_the_public_url_still_go_out_through_the_network() {
    Map<String, Object> r = answer(post("/rest/v1/rpc/match_topics", SERVICE_KEY));
    assertThat(r.get("status_code")).isNull();
    assertThat(r.get("error_msg")).isNotNull();
  }
}
