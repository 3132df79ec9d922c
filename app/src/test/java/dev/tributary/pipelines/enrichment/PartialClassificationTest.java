package dev.tributary.pipelines.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.OpenAiLabelClassifier;
import dev.tributary.connectors.openai.OpenAiClient;
import dev.tributary.connectors.openai.OpenAiConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.Rows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch classified by OpenAI whose answer leaves one post without a usable label: the others are
 * stored, that post is asked alone, then marked with the reason, and the batch is not retried.
 */
class PartialClassificationTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final FakeHttpServer fake = new FakeHttpServer();
  private final OpenAiClient client =
      new OpenAiClient(
          OpenAiConfig.builder().apiKey("sk-test").baseUrl(fake.baseUrl() + "/v1").build());

  @AfterEach
  void close() {
    client.close();
    fake.close();
    db.close();
  }

  @Test
  void a_post_without_a_usable_answer_is_marked_and_does_not_block_its_batch() {
    String topic = LeftOutPost.threePostsFlaggedForTopics(rows, "Partial");
    LeftOutPost.answersLeavingTheThirdOut(fake, topic);

    WorkerResult r =
        ClassificationWorker.topics(db, new OpenAiLabelClassifier(client, "topic"))
            .processBatch(10);

    assertThat(r.failure()).isNull();
    assertThat(r.processed()).isEqualTo(2);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(fake.requests()).hasSize(3);
    assertThat(count("topic_id IS NOT NULL AND classification_error IS NULL")).isEqualTo(2);
    assertThat(
            count(
                "topic_id IS NULL AND NOT needs_topic_classification"
                    + " AND topic_classification_locked_at IS NULL"
                    + " AND classification_error LIKE 'topics: the model gave no usable topic%'"))
        .isEqualTo(1);
    assertThat(count("needs_topic_classification")).isZero();
    // nothing left to claim: the batch is not asked (nor paid for) again
    assertThat(
            ClassificationWorker.topics(db, new OpenAiLabelClassifier(client, "topic"))
                .processBatch(10)
                .processed())
        .isZero();
    assertThat(fake.requests()).hasSize(3);
  }

  private long count(String where) {
    return ((Number) rows.row("SELECT count(*) AS n FROM viral_posts_bank WHERE " + where).get("n"))
        .longValue();
  }
}
