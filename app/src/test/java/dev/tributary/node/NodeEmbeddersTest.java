package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.ModelSwitch;
import dev.tributary.search.HashingEmbedder;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeEmbeddersTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final HashingEmbedder configured = new HashingEmbedder("openai/text-embedding-3-small");

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void a_node_with_a_new_model_keeps_the_local_one_for_queries_only_while_it_still_answers()
      throws SQLException {
    ModelSwitch.ensureActive(db, LocalOnnxEmbedder.MODEL_ID, List.of("viral_posts_bank", "topics"));

    Embedders during = TributaryNode.embedders(db, configured);
    assertThat(during.current()).isSameAs(configured);
    assertThat(during.forModel(LocalOnnxEmbedder.MODEL_ID)).isPresent();

    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE search_active_models SET model = 'openai/text-embedding-3-small'");
    }
    assertThat(TributaryNode.embedders(db, configured).all()).containsExactly(configured);
  }
}
