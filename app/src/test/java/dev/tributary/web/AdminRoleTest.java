package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registering a vector-sync source takes ADMIN_KEY; the service and cron keys never do. */
class AdminRoleTest {
  static final String SERVICE = "service-key-1";
  static final String SCHEDULER = "scheduler-secret-1";
  static final String ADMIN = "admin-key-1";
  static final String BODY = "{\"table\":\"projects\",\"idColumn\":\"id\",\"content\":\"name\"}";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SearchModule search =
      SearchModule.start(db, new Embedders(new HashingEmbedder("test/hash")));
  private final WebServer server =
      TestWeb.start(
          db,
          Map.of("SERVICE_ROLE_KEY", SERVICE, "SCHEDULER_SECRET", SCHEDULER, "ADMIN_KEY", ADMIN),
          new VectorSyncRoutes(db, search.processor()));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    search.close();
    db.close();
  }

  private HttpResponse<String> register(String header, String value) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/api/vectorize/sources"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (header != null) {
      b.header(header, value);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void only_the_admin_key_registers_a_source() throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE projects (id bigserial PRIMARY KEY, name text)");
    }
    assertThat(register(null, null).statusCode()).isEqualTo(401);
    assertThat(register("Authorization", "Bearer " + SERVICE).statusCode()).isEqualTo(403);
    assertThat(register(Access.SCHEDULER_HEADER, SCHEDULER).statusCode()).isEqualTo(403);
    assertThat(register("apikey", SERVICE).statusCode()).isEqualTo(403);
    assertThat(register("Authorization", "Bearer " + ADMIN + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = register("Authorization", "Bearer " + ADMIN);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(register("Authorization", "bearer " + ADMIN).statusCode()).isEqualTo(201);
  }

  @Test
  void the_admin_key_reads_nothing_the_service_key_guards() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/api/vectorize/status"))
                .header("Authorization", "Bearer " + ADMIN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void an_admin_key_equal_to_another_key_stops_the_start_without_quoting_it() {
    for (String other : new String[] {"SERVICE_ROLE_KEY", "SCHEDULER_SECRET", "ANON_KEY"}) {
      assertThatThrownBy(
              () -> TributaryConfig.from(Map.of("ADMIN_KEY", "same-secret", other, "same-secret")))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("ADMIN_KEY must differ from " + other)
          .hasMessageNotContaining("same-secret");
    }
  }
}
