package dev.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catch-up that repairs missed notifications, driven by hand (no listener thread). */
class IndexSyncTest {
  private final HashingEmbedder embedder = new HashingEmbedder("test/hash-a");

  private String insertTopic(Connection c, String name) throws SQLException {
    StringBuilder v = new StringBuilder("{");
    float[] e = embedder.embed(name);
    for (int i = 0; i < e.length; i++) {
      v.append(i == 0 ? "" : ",").append(e[i]);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO topics (name, embedding, embedding_model) "
                + "VALUES (?, ?::real[], 'test/hash-a') RETURNING id::text")) {
      ps.setString(1, name);
      ps.setString(2, v.append('}').toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void a_change_committed_late_by_a_long_transaction_is_still_applied() throws Exception {
    try (HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
        SearchIndex index = new SearchIndex(1)) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO search_active_models (source, model) VALUES ('topics', 'test/hash-a')")) {
        ps.execute();
      }
      IndexSync sync = new IndexSync(ds, index);
      sync.loadAll();
      SpaceKey space = new SpaceKey("topics", "test/hash-a");
      assertThat(index.size(space)).isZero();

      try (Connection slow = ds.getConnection();
          Connection fast = ds.getConnection()) {
        slow.setAutoCommit(false);
        String early = insertTopic(slow, "slow transaction topic"); // lower seq, commits last
        String late = insertTopic(fast, "fast transaction topic");
        sync.catchUp();
        assertThat(index.space(space).orElseThrow().contains(late)).isTrue();
        assertThat(index.space(space).orElseThrow().contains(early)).isFalse();
        slow.commit();
        sync.catchUp();
        assertThat(index.space(space).orElseThrow().contains(early)).isTrue();
      }

      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE topics SET embedding = NULL, embedding_model = NULL WHERE name = 'fast transaction topic'")) {
        ps.execute();
      }
      sync.catchUp();
      assertThat(index.size(space)).isEqualTo(1);
      assertThat(index.search("topics", embedder.embed("slow transaction topic"), Map.of(), 0.9, 5))
          .extracting(h -> h.item().key())
          .hasSize(1);
    }
  }
}
