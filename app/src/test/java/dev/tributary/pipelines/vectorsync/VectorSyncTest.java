package dev.tributary.pipelines.vectorsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.search.IndexSync;
import dev.tributary.search.IndexedSource;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SearchService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VectorSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final HashingEmbedder modelA = new HashingEmbedder("test/hash-a");
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    ds.close();
  }

  /** A second node's own connection pool on the same database. */
  private HikariDataSource secondPool() {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(ds.getJdbcUrl());
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    closing.add(0, pool);
    return pool;
  }

  /** One node: its own index kept current from the database, and the search service over it. */
  private SearchService node(HikariDataSource pool, Embedders embedders) {
    ModelSwitch.ensureActive(
        pool,
        embedders.current().modelId(),
        IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    SearchIndex index = new SearchIndex(2);
    IndexSync sync =
        new IndexSync(pool, index, Duration.ofMillis(200), IndexSync.DEFAULT_RETENTION).start();
    closing.add(index);
    closing.add(sync);
    return new SearchService(pool, index, embedders);
  }

  private static List<String> sourceIds(SearchService service, String text) {
    SearchService.TextQuery body = new SearchService.TextQuery(text, null, 0.3, null, null);
    List<String> ids = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results =
        (List<Map<String, Object>>) service.searchText(body).get("results");
    for (Map<String, Object> r : results) {
      ids.add((String) r.get("source_id"));
    }
    return ids;
  }

  private String exec(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Test
  void faq_row_is_searchable_after_insert_found_by_new_text_after_update_and_gone_after_delete() {
    SearchService search = node(ds, new Embedders(modelA));
    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(ds, new Embedders(modelA));
    String id =
        exec(
            "INSERT INTO faq_items (question, answer) VALUES "
                + "('How do I reset my password', 'Open settings and choose reset password') RETURNING id::text");
    assertThat(processor.drain(20).completed()).isEqualTo(1);
    Await.until(
        "the inserted FAQ is found",
        WAIT,
        () -> sourceIds(search, "reset my password settings").contains(id));

    exec(
        "UPDATE faq_items SET question = 'Which payment cards are accepted', "
            + "answer = 'Visa and Mastercard cards are accepted for payment' WHERE id = ?::uuid",
        id);
    processor.drain(20);
    Await.until(
        "the new text is found",
        WAIT,
        () -> sourceIds(search, "payment cards visa mastercard").contains(id));
    assertThat(sourceIds(search, "reset my password settings")).doesNotContain(id);

    exec("DELETE FROM faq_items WHERE id = ?::uuid", id);
    processor.drain(20);
    Await.until(
        "the deleted FAQ is gone",
        WAIT,
        () -> !sourceIds(search, "payment cards visa mastercard").contains(id));
    assertThat(exec("SELECT count(*) FROM documentation_embeddings WHERE source_id = ?", id))
        .isEqualTo("0");
  }

  @Test
  void
      registering_a_table_backfills_its_thousand_rows_and_unchanged_content_is_never_embedded_twice() {
    exec(
        "CREATE TABLE notes (note_id bigserial PRIMARY KEY, body text NOT NULL, archived boolean DEFAULT false)");
    exec(
        "INSERT INTO notes (body) SELECT 'note number ' || g || ' about topic ' || (g % 13) FROM generate_series(1, 1000) g");
    exec("INSERT INTO notes (body, archived) VALUES ('an archived note', true)");
    VectorSyncAdmin admin = new VectorSyncAdmin(ds);
    assertThat(admin.register("notes", "note_id", "body", "NOT archived")).isEqualTo(1000);

    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(ds, new Embedders(modelA));
    EmbeddingQueueProcessor.Result first = processor.drain(100);
    assertThat(first.completed()).isEqualTo(1000);
    assertThat(exec("SELECT count(*) FROM documentation_embeddings WHERE source_table = 'notes'"))
        .isEqualTo("1000");
    assertThat(admin.missingEmbeddings("notes")).isEmpty();
    assertThat(admin.status())
        .anySatisfy(
            row -> {
              assertThat(row.get("source_table")).isEqualTo("notes");
              assertThat(((Number) row.get("completed")).intValue()).isEqualTo(1000);
            });

    int before = modelA.embeddedTexts();
    admin.resync("notes");
    EmbeddingQueueProcessor.Result again = processor.drain(100);
    assertThat(again.chunksReused()).isEqualTo(1000);
    assertThat(modelA.embeddedTexts()).isEqualTo(before);

    exec("UPDATE notes SET archived = true WHERE note_id = 1");
    processor.drain(100);
    assertThat(exec("SELECT count(*) FROM documentation_embeddings WHERE source_table = 'notes'"))
        .isEqualTo("999");
  }

  @Test
  void registering_an_unknown_table_or_column_or_bad_expression_is_refused_with_a_clear_message() {
    VectorSyncAdmin admin = new VectorSyncAdmin(ds);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> admin.register("nope", "id", "x", null))
        .isInstanceOf(VectorSyncAdmin.InvalidRequest.class)
        .hasMessageContaining("no table named nope");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> admin.register("faq_items", "nope", "question", null))
        .isInstanceOf(VectorSyncAdmin.InvalidRequest.class)
        .hasMessageContaining("no column named nope");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> admin.register("faq_items", "id", "no_such_column", null))
        .isInstanceOf(VectorSyncAdmin.InvalidRequest.class)
        .hasMessageContaining("no_such_column");
  }

  @Test
  void a_provider_failing_three_times_parks_the_item_as_failed_with_its_reason() {
    modelA.failWith("provider answered 503 Service Unavailable");
    EmbeddingQueueProcessor processor =
        new EmbeddingQueueProcessor(ds, new Embedders(modelA), TextChunker.DEFAULT, Duration.ZERO);
    exec("INSERT INTO faq_items (question, answer) VALUES ('q', 'a')");
    assertThat(processor.processBatch(10).retried()).isEqualTo(1);
    assertThat(processor.processBatch(10).retried()).isEqualTo(1);
    assertThat(processor.processBatch(10).failed()).isEqualTo(1);
    assertThat(processor.processBatch(10).claimed()).isZero();
    assertThat(
            exec("SELECT status || ' ' || retry_count || ' ' || error FROM embedding_sync_queue"))
        .isEqualTo("failed 3 provider answered 503 Service Unavailable");

    modelA.failWith(null);
    assertThat(new VectorSyncAdmin(ds).retryFailed("faq_items")).isEqualTo(1);
    assertThat(processor.processBatch(10).completed()).isEqualTo(1);
  }

  @Test
  void switching_the_model_re_embeds_in_the_background_while_search_keeps_answering()
      throws Exception {
    HashingEmbedder modelB = new HashingEmbedder("test/hash-b");
    SearchService search = node(ds, new Embedders(modelA));
    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(ds, new Embedders(modelA));
    for (int i = 0; i < 300; i++) {
      exec(
          "INSERT INTO faq_items (question, answer) VALUES (?, ?)",
          "question " + i + " about shipping",
          "answer " + i);
    }
    String target =
        exec(
            "INSERT INTO faq_items (question, answer) VALUES "
                + "('Do you deliver to Iceland', 'Yes we ship parcels to Reykjavik') RETURNING id::text");
    processor.drain(100);
    Await.until(
        "the target FAQ is searchable",
        WAIT,
        () ->
            sourceIds(search, "Do you deliver to Iceland. Yes we ship parcels to Reykjavik")
                .contains(target));

    // this node can embed queries in both models while the switch runs
    SearchService during = node(secondPool(), new Embedders(modelB, modelA));
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    List<String> misses = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread searcher =
        new Thread(
            () -> {
              while (!done.get()) {
                List<String> ids =
                    sourceIds(
                        during, "Do you deliver to Iceland. Yes we ship parcels to Reykjavik");
                if (!ids.contains(target)) {
                  misses.add(ids.toString());
                }
                answered.incrementAndGet();
              }
            });
    searcher.start();
    ModelSwitch.Progress p = new ModelSwitch(ds, modelB, 25).run();
    Await.until(
        "the node answers with the new model",
        WAIT,
        () ->
            "test/hash-b"
                .equals(
                    during
                        .searchText(new SearchService.TextQuery("x", null, null, null, null))
                        .get("model")));
    done.set(true);
    searcher.join();

    assertThat(p.switched()).isTrue();
    assertThat(p.embedded()).isEqualTo(301);
    assertThat(answered.get()).isPositive();
    assertThat(misses).isEmpty();
    assertThat(sourceIds(during, "Do you deliver to Iceland. Yes we ship parcels to Reykjavik"))
        .contains(target);
    assertThat(exec("SELECT count(*) FROM documentation_embeddings WHERE model = 'test/hash-a'"))
        .isEqualTo("301");
    assertThat(ModelSwitch.dropRetiredVectors(ds, Duration.ZERO)).isEqualTo(301);
  }

  @Test
  void two_nodes_indexes_converge_on_every_change() {
    SearchService one = node(ds, new Embedders(modelA));
    SearchService two = node(secondPool(), new Embedders(modelA));
    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(ds, new Embedders(modelA));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(
          exec(
              "INSERT INTO faq_items (question, answer) VALUES (?, 'refund policy details') RETURNING id::text",
              "refund question " + i));
    }
    processor.drain(50);
    exec("DELETE FROM faq_items WHERE id = ?::uuid", ids.get(0));
    exec(
        "UPDATE faq_items SET answer = 'warranty terms' , question = 'warranty' WHERE id = ?::uuid",
        ids.get(1));
    processor.drain(50);
    Await.until(
        "both nodes agree",
        WAIT,
        () -> {
          List<String> a = sourceIds(one, "refund policy details question");
          return a.size() == 10
              && a.equals(sourceIds(two, "refund policy details question"))
              && !a.contains(ids.get(0))
              && !a.contains(ids.get(1));
        });
  }

  @Test
  void stuck_items_are_reported_and_released_and_old_completed_items_are_cleaned_up() {
    exec(
        "INSERT INTO embedding_sync_queue (source_table, source_id, action, status, started_at) "
            + "VALUES ('faq_items', 'a', 'update', 'processing', now() - interval '20 minutes')");
    exec(
        "INSERT INTO embedding_sync_queue (source_table, source_id, action, status, processed_at) "
            + "VALUES ('faq_items', 'b', 'update', 'completed', now() - interval '8 days'), "
            + "('faq_items', 'c', 'update', 'completed', now() - interval '1 day')");
    VectorSyncAdmin admin = new VectorSyncAdmin(ds);
    assertThat(admin.stuckItems(VectorSyncAdmin.STUCK_AFTER))
        .extracting(r -> r.get("source_id"))
        .containsExactly("a");
    assertThat(admin.releaseStuck(VectorSyncAdmin.STUCK_AFTER)).isEqualTo(1);
    assertThat(exec("SELECT status FROM embedding_sync_queue WHERE source_id = 'a'"))
        .isEqualTo("pending");
    assertThat(admin.cleanup()).isEqualTo(1);
    assertThat(
            exec("SELECT string_agg(source_id, ',' ORDER BY source_id) FROM embedding_sync_queue"))
        .isEqualTo("a,c");
  }

  @Test
  void long_text_is_split_into_overlapping_chunks_that_cover_every_word() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 450; i++) {
      text.append("w").append(i).append(i % 17 == 0 ? "\n\n" : " ");
    }
    List<String> chunks = TextChunker.DEFAULT.chunk(text.toString());
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(0).split(" ")).hasSize(200).startsWith("w0").endsWith("w199");
    assertThat(chunks.get(1).split(" ")).startsWith("w160").endsWith("w359");
    assertThat(chunks.get(2).split(" ")).startsWith("w320").endsWith("w449");
    assertThat(TextChunker.DEFAULT.chunk("   ")).isEmpty();
    assertThat(TextChunker.DEFAULT.chunk("one short answer")).containsExactly("one short answer");
  }
}
