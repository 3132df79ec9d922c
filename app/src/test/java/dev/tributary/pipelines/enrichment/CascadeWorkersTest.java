package dev.tributary.pipelines.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.CountingEmbedder;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.Label;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.ai.OpenAiEmbedder;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.openai.OpenAiClient;
import dev.tributary.connectors.openai.OpenAiConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import dev.tributary.web.WebServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CascadeWorkersTest {
  private static final AiProviders AI = AiProviders.local(new LocalOnnxEmbedder());

  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(Migrations.LOCATIONS);

  private HikariDataSource db;
  private Rows rows;

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    rows = new Rows(db);
  }

  private UUID post(UUID author, String url, String content) {
    return (UUID)
        rows.row(
                "INSERT INTO viral_posts_bank (author_id, post_url, content, likes, comments)"
                    + " VALUES (?, ?, ?, 10, 2) RETURNING id",
                author,
                url,
                content)
            .get("id");
  }

  @Test
  void hooks_are_extracted_from_the_text_and_the_post_is_flagged_for_classification() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p =
        post(
            author,
            "u1",
            "\n  What would you do with 10 extra hours a week?  \n\nI asked 40 founders.");
    UUID empty = post(author, "u2", "   ");
    rows.update("UPDATE viral_posts_bank SET needs_hook_extraction = true WHERE id = ?", empty);

    WorkerResult r = new HookExtractionWorker(db).processBatch(10);

    assertThat(r.processed()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(
            rows.row(
                "SELECT hook, needs_hook_extraction, needs_hook_classification, hook_extraction_locked_at"
                    + " FROM viral_posts_bank WHERE id = ?",
                p))
        .containsEntry("hook", "What would you do with 10 extra hours a week?")
        .containsEntry("needs_hook_extraction", false)
        .containsEntry("needs_hook_classification", true)
        .containsEntry("hook_extraction_locked_at", null);
    assertThat(rows.row("SELECT needs_hook_extraction FROM viral_posts_bank WHERE id = ?", empty))
        .containsEntry("needs_hook_extraction", false);
    assertThat(new HookExtractionWorker(db).processBatch(10).claimed()).isZero();
  }

  @Test
  void embeddings_store_the_vector_its_model_and_clear_the_flag() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID a = post(author, "u1", "Hiring engineers is the hardest part of running a startup.");
    UUID b =
        post(
            author, "u2", "Pricing lessons from ten years of SaaS. " + "Long text. ".repeat(2_000));

    WorkerResult r = new EmbeddingWorker(db, AI.embedder()).drain(1, 100);

    assertThat(r.processed()).isEqualTo(2);
    assertThat(r.failed()).isZero();
    for (UUID id : new UUID[] {a, b}) {
      Map<String, Object> row =
          rows.row(
              "SELECT embedding, embedding_model, embedded_at, needs_embedding,"
                  + " embedding_locked_at FROM viral_posts_bank WHERE id = ?",
              id);
      assertThat((Float[]) row.get("embedding")).hasSize(384);
      assertThat(row)
          .containsEntry("embedding_model", "local/all-minilm-l6-v2-q")
          .containsEntry("needs_embedding", false)
          .containsEntry("embedding_locked_at", null);
      assertThat(row.get("embedded_at")).isNotNull();
    }
  }

  @Test
  void each_post_gets_its_own_vector_and_a_post_edited_while_it_was_embedded_stays_flagged() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID a = post(author, "u1", "First text.");
    UUID b = post(author, "u2", "Second, longer text.");
    UUID c = post(author, "u3", "Third text, the longest of the three.");
    Embedder editing =
        new Embedder() {
          @Override
          public List<float[]> embed(List<String> texts) {
            rows.update(
                "UPDATE viral_posts_bank SET content = 'Edited meanwhile.' WHERE id = ?", b);
            return texts.stream().map(t -> new float[] {t.length(), 1f, 0f, 0f}).toList();
          }

          @Override
          public String modelId() {
            return "test/length";
          }

          @Override
          public int dimensions() {
            return 4;
          }
        };

    WorkerResult r = new EmbeddingWorker(db, editing).processBatch(10);

    assertThat(r.processed()).isEqualTo(2);
    assertThat(r.skipped()).isEqualTo(1);
    for (Map.Entry<UUID, String> e :
        Map.of(a, "First text.", c, "Third text, the longest of the three.").entrySet()) {
      assertThat(
              (Float[])
                  rows.row("SELECT embedding FROM viral_posts_bank WHERE id = ?", e.getKey())
                      .get("embedding"))
          .containsExactly((float) EmbeddingText.of(null, e.getValue()).length(), 1f, 0f, 0f);
    }
    assertThat(
            rows.row(
                "SELECT embedding, needs_embedding, embedding_locked_at FROM viral_posts_bank WHERE id = ?",
                b))
        .containsEntry("embedding", null)
        .containsEntry("needs_embedding", true)
        .containsEntry("embedding_locked_at", null);
  }

  @Test
  void tiny_vector_components_are_stored_as_they_are_and_sql_vector_math_never_underflows() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID a = post(author, "u1", "A text whose vector has a vanishing component.");
    Embedder tiny =
        new Embedder() {
          @Override
          public List<float[]> embed(List<String> texts) {
            return texts.stream()
                .map(
                    t -> {
                      float[] v = new float[4];
                      v[0] = 1e-30f;
                      v[1] = 1f;
                      return v;
                    })
                .toList();
          }

          @Override
          public String modelId() {
            return "test/tiny-components";
          }

          @Override
          public int dimensions() {
            return 4;
          }
        };

    assertThat(new EmbeddingWorker(db, tiny).processBatch(10).processed()).isEqualTo(1);

    assertThat(
            (Float[])
                rows.row("SELECT embedding FROM viral_posts_bank WHERE id = ?", a).get("embedding"))
        .containsExactly(1e-30f, 1f, 0f, 0f);
    assertThat(
            rows.row(
                    "SELECT tributary_dot(embedding, ARRAY[1e-30, 1, 0, 0]::real[]) AS d FROM viral_posts_bank"
                        + " WHERE id = ?",
                    a)
                .get("d"))
        .isEqualTo(1.0);
  }

  @Test
  void a_failing_embedding_provider_leaves_posts_flagged_and_unclaimed_with_a_retryable_error() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID a = post(author, "u1", "Some text worth embedding.");
    try (FakeHttpServer fake = new FakeHttpServer();
        OpenAiClient client =
            new OpenAiClient(
                OpenAiConfig.builder().apiKey("sk-test").baseUrl(fake.baseUrl()).build())) {
      fake.otherwise(
          req ->
              Reply.json(
                  500,
                  "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));

      WorkerResult r = new EmbeddingWorker(db, new OpenAiEmbedder(client)).processBatch(10);

      assertThat(r.failed()).isEqualTo(1);
      assertThat(r.failure()).isInstanceOf(ConnectorException.class);
      assertThat(((ConnectorException) r.failure()).retryable()).isTrue();
      assertThat(String.valueOf(r.toLog().get("error"))).contains("500");
    }
    assertThat(
            rows.row(
                "SELECT needs_embedding, embedding_locked_at, embedding FROM viral_posts_bank WHERE id = ?",
                a))
        .containsEntry("needs_embedding", true)
        .containsEntry("embedding_locked_at", null)
        .containsEntry("embedding", null);
  }

  @Test
  void hooks_topics_and_audiences_are_classified_with_the_provider_recorded() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p =
        post(
            author,
            "u1",
            "How to run discovery calls that close:\n\n"
                + "Our account executives doubled their win rate after we changed the first ten minutes of every sales call.");
    new HookExtractionWorker(db).processBatch(10);
    new EmbeddingWorker(db, AI.embedder()).processBatch(10);

    WorkerResult hooks = ClassificationWorker.hooks(db, AI.hookClassifier()).processBatch(10);
    WorkerResult topics = ClassificationWorker.topics(db, AI.topicClassifier()).processBatch(10);
    WorkerResult audiences =
        ClassificationWorker.audiences(db, AI.audienceClassifier()).processBatch(10);

    assertThat(hooks.processed() + topics.processed() + audiences.processed()).isEqualTo(3);
    Map<String, Object> row =
        rows.row(
            """
        SELECT h.name AS hook_type, t.name AS topic, a.name AS audience, v.classified_by, v.classified_at,
               v.needs_hook_classification, v.needs_topic_classification, v.needs_audience_classification
          FROM viral_posts_bank v
          JOIN hook_types h ON h.id = v.hook_type_id
          JOIN topics t ON t.id = v.topic_id
          JOIN audiences a ON a.id = v.audience_id
         WHERE v.id = ?""",
            p);
    assertThat(row)
        .containsEntry("hook_type", "how_to")
        .containsEntry("topic", "sales")
        .containsEntry("audience", "sales_professionals")
        .containsEntry("classified_by", "local:all-minilm-l6-v2-q")
        .containsEntry("needs_hook_classification", false)
        .containsEntry("needs_topic_classification", false)
        .containsEntry("needs_audience_classification", false);
  }

  private static EmbeddingWorker inlineEmbeddingWorker(javax.sql.DataSource ds, AiProviders ai) {
    return new EmbeddingWorker(
        ds,
        ai.embedder(),
        InlineClassification.of(
                ai.embedder(), ai.hookClassifier(), ai.topicClassifier(), ai.audienceClassifier())
            .orElseThrow());
  }

  @Test
  void with_local_models_one_embedding_pass_stores_the_hook_and_its_type_the_topic_and_audience() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p =
        post(
            author,
            "u1",
            "How to run discovery calls that close:\n\n"
                + "Our account executives doubled their win rate after we changed the first ten minutes of every sales call.");
    CountingEmbedder counting = new CountingEmbedder(AI.embedder());
    AiProviders local = AiProviders.local(counting);
    // the classifiers embed their catalogues once: a first post does that
    rows.update(
        "UPDATE viral_posts_bank SET needs_embedding = false, embedding_locked_at = NULL WHERE id = ?",
        p);
    UUID warmUp = post(author, "u0", "A first post, embedded with the catalogues.");
    inlineEmbeddingWorker(db, local).processBatch(10);
    rows.update("UPDATE viral_posts_bank SET needs_embedding = true WHERE id = ?", p);
    assertThat(rows.row("SELECT needs_embedding FROM viral_posts_bank WHERE id = ?", warmUp))
        .containsEntry("needs_embedding", false);
    int before = counting.texts();

    WorkerResult r = inlineEmbeddingWorker(db, local).processBatch(10);

    assertThat(r.processed()).isEqualTo(1);
    assertThat(r.inline()).isEqualTo(new WorkerResult.Inline(1, 1, 1, 1));
    assertThat(counting.texts() - before)
        .as("one model pass for the post, none for its hook")
        .isEqualTo(1);
    Map<String, Object> row =
        rows.row(
            """
        SELECT v.hook, h.name AS hook_type, t.name AS topic, a.name AS audience, v.classified_by,
               v.embedding_model, v.needs_hook_extraction, v.needs_embedding,
               v.needs_hook_classification, v.needs_topic_classification,
               v.needs_audience_classification, v.hook_extraction_locked_at, v.embedding_locked_at
          FROM viral_posts_bank v
          JOIN hook_types h ON h.id = v.hook_type_id
          JOIN topics t ON t.id = v.topic_id
          JOIN audiences a ON a.id = v.audience_id
         WHERE v.id = ?""",
            p);
    assertThat(row)
        .containsEntry("hook", "How to run discovery calls that close:")
        .containsEntry("hook_type", "how_to")
        .containsEntry("topic", "sales")
        .containsEntry("audience", "sales_professionals")
        .containsEntry("classified_by", "local:all-minilm-l6-v2-q")
        .containsEntry("embedding_model", "local/all-minilm-l6-v2-q")
        .containsEntry("needs_hook_extraction", false)
        .containsEntry("needs_embedding", false)
        .containsEntry("needs_hook_classification", false)
        .containsEntry("needs_topic_classification", false)
        .containsEntry("needs_audience_classification", false)
        .containsEntry("hook_extraction_locked_at", null)
        .containsEntry("embedding_locked_at", null);
    assertThat(new HookExtractionWorker(db).processBatch(10).claimed()).isZero();
    assertThat(ClassificationWorker.hooks(db, local.hookClassifier()).processBatch(10).claimed())
        .isZero();
    assertThat(ClassificationWorker.topics(db, local.topicClassifier()).processBatch(10).claimed())
        .isZero();
    assertThat(
            ClassificationWorker.audiences(db, local.audienceClassifier())
                .processBatch(10)
                .claimed())
        .isZero();

    // the hook worker reads the hook the same way (within its post), so it agrees
    Object inlineType =
        rows.row("SELECT hook_type_id FROM viral_posts_bank WHERE id = ?", p).get("hook_type_id");
    rows.update(
        "UPDATE viral_posts_bank SET hook_type_id = NULL, needs_hook_classification = true WHERE id = ?",
        p);
    assertThat(ClassificationWorker.hooks(db, local.hookClassifier()).processBatch(10).processed())
        .isEqualTo(1);
    assertThat(rows.row("SELECT hook_type_id FROM viral_posts_bank WHERE id = ?", p))
        .containsEntry("hook_type_id", inlineType);
  }

  @Test
  void a_disabled_worker_and_a_post_its_worker_has_claimed_are_left_to_that_worker() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID claimedForHooks =
        post(author, "u1", "Stop chasing viral posts.\n\nWrite for the ten people who buy.");
    UUID other =
        post(author, "u2", "6 lessons from hiring our first 20 engineers:\n\n1. Hire slowly.");
    new HookExtractionWorker(db).processBatch(10);
    rows.update(
        "UPDATE worker_feature_flags_v2 SET is_enabled = false WHERE worker_name = 'worker_classify_topics_v2'");
    rows.update(
        "UPDATE viral_posts_bank SET hook_classification_locked_at = now() WHERE id = ?",
        claimedForHooks);

    WorkerResult r = inlineEmbeddingWorker(db, AI).processBatch(10);

    assertThat(r.processed()).isEqualTo(2);
    assertThat(r.inline()).isEqualTo(new WorkerResult.Inline(0, 1, 0, 2));
    assertThat(
            rows.row(
                "SELECT hook_type_id, needs_hook_classification, hook_classification_locked_at IS NOT NULL AS claimed,"
                    + " topic_id, needs_topic_classification, needs_embedding"
                    + " FROM viral_posts_bank WHERE id = ?",
                claimedForHooks))
        .containsEntry("hook_type_id", null)
        .containsEntry("needs_hook_classification", true)
        .containsEntry("claimed", true)
        .containsEntry("topic_id", null)
        .containsEntry("needs_topic_classification", true)
        .containsEntry("needs_embedding", false);
    assertThat(
            rows.row(
                "SELECT hook_type_id IS NOT NULL AS typed, needs_hook_classification, topic_id,"
                    + " needs_topic_classification, audience_id IS NOT NULL AS audience"
                    + " FROM viral_posts_bank WHERE id = ?",
                other))
        .containsEntry("typed", true)
        .containsEntry("needs_hook_classification", false)
        .containsEntry("topic_id", null)
        .containsEntry("needs_topic_classification", true)
        .containsEntry("audience", true);
  }

  @Test
  void
      a_post_flagged_for_a_hook_type_before_it_has_a_hook_is_embedded_and_left_to_the_hook_worker() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p = post(author, "u1", "Why do most launches fail?\n\nBecause nobody asked.");
    rows.update(
        "UPDATE viral_posts_bank SET needs_hook_extraction = false, needs_hook_classification = true"
            + " WHERE id = ?",
        p);

    WorkerResult r = inlineEmbeddingWorker(db, AI).processBatch(10);

    assertThat(r.processed()).isEqualTo(1);
    assertThat(r.inline()).isEqualTo(new WorkerResult.Inline(0, 0, 1, 1));
    assertThat(
            rows.row(
                "SELECT hook, hook_type_id, needs_hook_classification, needs_embedding"
                    + " FROM viral_posts_bank WHERE id = ?",
                p))
        .containsEntry("hook", null)
        .containsEntry("hook_type_id", null)
        .containsEntry("needs_hook_classification", true)
        .containsEntry("needs_embedding", false);
    assertThat(ClassificationWorker.hooks(db, AI.hookClassifier()).processBatch(10).processed())
        .isEqualTo(1);
  }

  @Test
  void a_hook_stored_with_its_type_is_not_flagged_again_but_a_new_hook_alone_is() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p = post(author, "u1", "Why do most launches fail?\n\nBecause nobody asked.");
    Object question = rows.row("SELECT id FROM hook_types WHERE name = 'question'").get("id");

    rows.update(
        "UPDATE viral_posts_bank SET hook = 'Why do most launches fail?', hook_type_id = ?,"
            + " needs_hook_classification = false WHERE id = ?",
        question,
        p);
    assertThat(rows.row("SELECT needs_hook_classification FROM viral_posts_bank WHERE id = ?", p))
        .containsEntry("needs_hook_classification", false);

    rows.update("UPDATE viral_posts_bank SET hook = 'Why do launches fail?' WHERE id = ?", p);
    assertThat(rows.row("SELECT needs_hook_classification FROM viral_posts_bank WHERE id = ?", p))
        .containsEntry("needs_hook_classification", true);
  }

  @Test
  void topics_and_audiences_reuse_the_stored_embedding_instead_of_embedding_the_text_again() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    for (int i = 0; i < 4; i++) {
      post(author, "u" + i, "Our engineering team moved to a four-day week, post " + i + ".");
    }
    CountingEmbedder counting = new CountingEmbedder(AI.embedder());
    AiProviders local = AiProviders.local(counting);
    new EmbeddingWorker(db, counting).drain(10, 100);
    local
        .topicClassifier()
        .classify(
            List.of("warm the catalogue cache"),
            List.of(new Label(UUID.randomUUID(), "x", "y", List.of())));
    int before = counting.texts();

    WorkerResult topics = ClassificationWorker.topics(db, local.topicClassifier()).processBatch(10);

    assertThat(topics.processed()).isEqualTo(4);
    assertThat(counting.texts() - before)
        .as("texts embedded: only the topics catalogue")
        .isEqualTo(rows.count("SELECT count(*) FROM topics"));
    rows.update(
        "UPDATE viral_posts_bank SET embedding = NULL, embedding_model = NULL, needs_topic_classification = true");
    int beforeNoVectors = counting.texts();
    ClassificationWorker.topics(db, local.topicClassifier()).processBatch(10);
    assertThat(counting.texts() - beforeNoVectors)
        .as("without stored vectors each post is embedded")
        .isEqualTo(4);
  }

  @Test
  void
      topics_wait_for_the_embedding_worker_while_it_is_enabled_and_embed_the_text_themselves_when_it_is_off() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    CountingEmbedder counting = new CountingEmbedder(AI.embedder());
    AiProviders local = AiProviders.local(counting);
    post(author, "w", "A first post, classified to fill the catalogue cache.");
    new EmbeddingWorker(db, counting).drain(10, 100);
    ClassificationWorker.topics(db, local.topicClassifier()).drain(10, 100);
    for (int i = 0; i < 3; i++) {
      post(author, "u" + i, "Our engineering team moved to a four-day week, post " + i + ".");
    }
    int before = counting.texts();

    WorkerResult early = ClassificationWorker.topics(db, local.topicClassifier()).drain(10, 100);

    assertThat(early.claimed()).as("given back, not claimed").isZero();
    assertThat(counting.texts()).as("nothing embedded").isEqualTo(before);
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE needs_topic_classification"
                    + " AND topic_classification_locked_at IS NULL"))
        .isEqualTo(3);

    new EmbeddingWorker(db, counting).drain(10, 100);
    int afterEmbedding = counting.texts();
    assertThat(ClassificationWorker.topics(db, local.topicClassifier()).drain(10, 100).processed())
        .isEqualTo(3);
    assertThat(counting.texts()).as("the stored vectors are used").isEqualTo(afterEmbedding);

    rows.update(
        "UPDATE worker_feature_flags_v2 SET is_enabled = false WHERE worker_name = 'worker_generate_embeddings_v2'");
    UUID late = post(author, "u9", "A post that arrives while the embedding worker is off.");
    int beforeOff = counting.texts();
    assertThat(ClassificationWorker.topics(db, local.topicClassifier()).drain(10, 100).processed())
        .isEqualTo(1);
    assertThat(counting.texts() - beforeOff).as("its text embedded for the topic").isEqualTo(1);
    assertThat(rows.row("SELECT topic_id FROM viral_posts_bank WHERE id = ?", late).get("topic_id"))
        .isNotNull();
  }

  @Test
  void an_empty_catalogue_fails_the_batch_and_keeps_the_posts_flagged() {
    UUID author = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID p = post(author, "u1", "A post about leadership and teams.");
    new EmbeddingWorker(db, AI.embedder()).processBatch(10);
    rows.update("DELETE FROM audiences");

    WorkerResult r = ClassificationWorker.audiences(db, AI.audienceClassifier()).processBatch(10);

    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.failure()).hasMessageContaining("audiences catalogue is empty");
    assertThat(
            rows.row(
                "SELECT needs_audience_classification, audience_classification_locked_at FROM viral_posts_bank"
                    + " WHERE id = ?",
                p))
        .containsEntry("needs_audience_classification", true)
        .containsEntry("audience_classification_locked_at", null);
  }

  @Test
  void profiles_with_enough_posts_get_a_style_and_the_monthly_refresh_flags_busy_internal_profiles()
      throws Exception {
    UUID writer = rows.profile("Ada Synthetic", "synthetic-ada-01");
    UUID quiet = rows.profile("Quiet Synthetic", "synthetic-quiet-02");
    UUID internal = rows.profile("Team Synthetic", null, "internal");
    for (int i = 0; i < 5; i++) {
      post(
          writer,
          "w" + i,
          "I shipped feature " + i + " this week.\n\nWhat would you build next? \uD83D\uDE80");
    }
    post(quiet, "q1", "One lonely post.");
    for (int i = 0; i < 21; i++) {
      post(internal, "i" + i, "We review every decision on Fridays. Week " + i + ".");
    }

    WorkerResult r = new ProfileCompletionWorker(db, AI.styleAnalyser()).drain(10, 100);

    assertThat(r.processed()).isEqualTo(2);
    Map<String, Object> p =
        rows.row(
            "SELECT writing_style_prompt, style_analysis, style_analyzed_by, style_analyzed_at,"
                + " style_locked_at FROM profiles WHERE id = ?",
            writer);
    assertThat((String) p.get("writing_style_prompt")).startsWith("Write like Ada Synthetic:");
    JsonNode analysis = WebServer.JSON.readTree(p.get("style_analysis").toString());
    assertThat(analysis.path("metrics").path("posts_analyzed").asInt()).isEqualTo(5);
    assertThat(p)
        .containsEntry("style_analyzed_by", "local:text-statistics")
        .containsEntry("style_locked_at", null);
    assertThat(
            rows.row("SELECT writing_style_prompt FROM profiles WHERE id = ?", quiet)
                .get("writing_style_prompt"))
        .isNull();

    assertThat(new StyleRefresh(db).markInternalProfiles()).isEqualTo(1);
    assertThat(rows.row("SELECT needs_style_analysis FROM profiles WHERE id = ?", internal))
        .containsEntry("needs_style_analysis", true);
    assertThat(new ProfileCompletionWorker(db, AI.styleAnalyser()).processBatch(10).processed())
        .isEqualTo(1);
    assertThat(rows.row("SELECT needs_style_analysis FROM profiles WHERE id = ?", internal))
        .containsEntry("needs_style_analysis", false);
  }
}
