package dev.tributary.pipelines.vectorsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.EmbeddingText;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.search.IndexSync;
import dev.tributary.search.IndexedSource;
import dev.tributary.search.SearchHit;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SpaceKey;
import dev.tributary.web.WebServer;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The posts and catalogues move to a new model while search keeps answering, on real Postgres. */
class ColumnModelSwitchTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final String POSTS = "viral_posts_bank";
  private static final String TARGET_TEXT = "Do you deliver parcels to Iceland and Reykjavik";

  private final HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final HashingEmbedder modelA = new HashingEmbedder("test/hash-a");
  private final HashingEmbedder modelB = new HashingEmbedder("test/hash-b");
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    ds.close();
  }

  /**
   * {@code n} posts plus the target post, embedded with model A by the real embedding worker;
   * returns the target's id.
   */
  private String postsEmbeddedWithModelA(int n) {
    ModelSwitch.ensureActive(
        ds, modelA.modelId(), IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    exec(
        "INSERT INTO viral_posts_bank (content) SELECT 'post ' || i || ' about shipping logistics and week ' || i"
            + " FROM generate_series(0, ? - 1) i",
        n);
    String target =
        exec("INSERT INTO viral_posts_bank (content) VALUES (?) RETURNING id::text", TARGET_TEXT);
    embedAll(modelA);
    assertThat(
            exec(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = ?",
                modelA.modelId()))
        .isEqualTo(String.valueOf(n + 1));
    return target;
  }

  private void embedAll(HashingEmbedder model) {
    EmbeddingWorker worker = new EmbeddingWorker(ds, model);
    while (worker.processBatch(100).claimed() > 0) {
      // until no post is flagged
    }
  }

  private HikariDataSource secondPool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(ds.getJdbcUrl());
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    closing.add(0, pool);
    return pool;
  }

  private SearchIndex index() {
    SearchIndex index = new SearchIndex(2);
    closing.add(index);
    return index;
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(h -> h.item().key()).toList();
  }

  /** The top posts for {@code text}, embedded with the model the index says answers. */
  private List<String> search(SearchIndex index, String text) {
    String model = index.activeModel(POSTS).orElseThrow();
    HashingEmbedder embedder = model.equals(modelA.modelId()) ? modelA : modelB;
    return ids(index.search(new SpaceKey(POSTS, model), embedder.embed(text), Map.of(), 0.5, 5));
  }

  private List<String> sqlSearch(HashingEmbedder model, String text) {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id::text FROM match_viral_posts(?::real[], 0.5, 5)")) {
      ps.setArray(1, c.createArrayOf("real", box(model.embed(text))));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }

  @Test
  void
      posts_stay_searchable_from_the_old_model_between_every_batch_and_from_the_new_one_after_the_swap() {
    String target = postsEmbeddedWithModelA(300);
    SearchIndex index = index();
    IndexSync sync = new IndexSync(ds, index);
    sync.loadAll();
    AtomicInteger batches = new AtomicInteger();

    ColumnModelSwitch.Outcome outcome =
        new ColumnModelSwitch(ds, ColumnSource.POSTS, modelB, 25)
            .run(
                () -> false,
                () -> {
                  batches.incrementAndGet();
                  sync.catchUp();
                  assertThat(index.activeModel(POSTS)).contains(modelA.modelId());
                  assertThat(index.size(new SpaceKey(POSTS, modelA.modelId()))).isEqualTo(301);
                  assertThat(search(index, TARGET_TEXT)).first().isEqualTo(target);
                  assertThat(sqlSearch(modelA, TARGET_TEXT)).first().isEqualTo(target);
                  assertThat(
                          exec(
                              "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = ?",
                              modelA.modelId()))
                      .isEqualTo("301");
                });

    assertThat(outcome.switched()).isTrue();
    assertThat(outcome.embedded()).isEqualTo(301);
    assertThat(batches.get()).isEqualTo(13);
    sync.catchUp();
    assertThat(index.activeModel(POSTS)).contains(modelB.modelId());
    assertThat(index.size(new SpaceKey(POSTS, modelB.modelId()))).isEqualTo(301);
    assertThat(index.size(new SpaceKey(POSTS, modelA.modelId()))).isZero();
    assertThat(search(index, TARGET_TEXT)).first().isEqualTo(target);
    assertThat(sqlSearch(modelB, TARGET_TEXT)).first().isEqualTo(target);
    assertThat(sqlSearch(modelA, TARGET_TEXT)).doesNotContain(target);
    assertThat(
            exec(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = ?",
                modelB.modelId()))
        .isEqualTo("301");
    assertThat(exec("SELECT count(*) FROM embedding_staging")).isEqualTo("0");
    assertThat(
            exec(
                "SELECT state || ' ' || rows_done FROM search_model_switches WHERE source = ?",
                POSTS))
        .isEqualTo("switched 301");
    // a node starting now loads the new vectors and the new model together
    SearchIndex fresh = index();
    new IndexSync(ds, fresh).loadAll();
    assertThat(fresh.activeModel(POSTS)).contains(modelB.modelId());
    assertThat(search(fresh, TARGET_TEXT)).first().isEqualTo(target);
  }

  @Test
  void
      posts_inserted_or_changed_during_the_switch_end_up_with_vectors_of_their_current_text_in_the_new_model() {
    postsEmbeddedWithModelA(100);
    List<String> firstStaged = new ArrayList<>();
    for (String id :
        exec("SELECT string_agg(id::text, ',' ORDER BY id) FROM viral_posts_bank").split(",")) {
      firstStaged.add(id);
    }
    String changedAndReembedded = firstStaged.get(0);
    String changedOnly = firstStaged.get(1);
    String[] inserted = new String[1];
    AtomicInteger batches = new AtomicInteger();

    ColumnModelSwitch.Outcome outcome =
        new ColumnModelSwitch(ds, ColumnSource.POSTS, modelB, 20)
            .run(
                () -> false,
                () -> {
                  if (batches.incrementAndGet() == 1) {
                    // both rows were staged in this first batch; the worker runs with the node's
                    // model, the new one
                    exec(
                        "UPDATE viral_posts_bank SET content = 'a fresh text about mountain bikes' WHERE id = ?::uuid",
                        changedAndReembedded);
                    inserted[0] =
                        exec(
                            "INSERT INTO viral_posts_bank (content) VALUES ('a new post about sourdough bread')"
                                + " RETURNING id::text");
                    embedAll(modelB);
                    assertThat(
                            exec(
                                "SELECT embedding_model FROM viral_posts_bank WHERE id = ?::uuid",
                                inserted[0]))
                        .isEqualTo(modelB.modelId());
                    // changed after being staged, and no worker gets to it before the swap
                    exec(
                        "UPDATE viral_posts_bank SET content = 'another text about sailing boats' WHERE id = ?::uuid",
                        changedOnly);
                  }
                });

    assertThat(outcome.switched()).isTrue();
    assertThat(
            exec(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model IS DISTINCT FROM ?",
                modelB.modelId()))
        .isEqualTo("0");
    // every row's vector is the new model's vector of the row's current text
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id::text, hook, content, embedding FROM viral_posts_bank");
        ResultSet rs = ps.executeQuery()) {
      int rows = 0;
      while (rs.next()) {
        float[] expected = modelB.embed(EmbeddingText.of(rs.getString(2), rs.getString(3)));
        assertThat(unbox(rs.getArray(4)))
            .as("vector of %s", rs.getString(1))
            .containsExactly(expected);
        rows++;
      }
      assertThat(rows).isEqualTo(102);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertThat(sqlSearch(modelB, "a new post about sourdough bread"))
        .first()
        .isEqualTo(inserted[0]);
    assertThat(sqlSearch(modelB, "another text about sailing boats"))
        .first()
        .isEqualTo(changedOnly);
  }

  @Test
  void a_switch_stopped_mid_way_resumes_where_it_stopped_and_reports_its_progress()
      throws Exception {
    postsEmbeddedWithModelA(199);
    AtomicInteger batches = new AtomicInteger();
    ColumnModelSwitch.Outcome paused =
        new ColumnModelSwitch(ds, ColumnSource.POSTS, modelB, 25)
            .run(() -> batches.get() >= 3, batches::incrementAndGet);
    assertThat(paused.switched()).isFalse();
    assertThat(paused.embedded()).isEqualTo(75);
    assertThat(ModelSwitch.activeModel(ds, POSTS)).contains(modelA.modelId());
    assertThat(exec("SELECT count(*) FROM embedding_staging WHERE source = ?", POSTS))
        .isEqualTo("75");

    String key = "service-key";
    WebServer server =
        dev.tributary.testing.TestWeb.start(
            ds,
            Map.of("SERVICE_ROLE_KEY", key),
            new VectorSyncRoutes(
                ds, new EmbeddingQueueProcessor(ds, new dev.tributary.ai.Embedders(modelB))));
    closing.add(server);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/api/vectorize/status"))
                    .header("Authorization", "Bearer " + key)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode posts = null;
    for (JsonNode m : WebServer.JSON.readTree(r.body()).get("models")) {
      if (m.get("source").asText().equals(POSTS)) {
        posts = m;
      }
    }
    assertThat(posts).isNotNull();
    assertThat(posts.get("active_model").asText()).isEqualTo(modelA.modelId());
    JsonNode sw = posts.get("last_switch");
    assertThat(sw.get("state").asText()).isEqualTo("embedding");
    assertThat(sw.get("to_model").asText()).isEqualTo(modelB.modelId());
    assertThat(sw.get("rows_done").asInt()).isEqualTo(75);
    assertThat(sw.get("rows_total").asInt()).isEqualTo(200);

    // a restarted node: a new embedder of the same model embeds only what is left
    HashingEmbedder restarted = new HashingEmbedder(modelB.modelId());
    ColumnModelSwitch.Outcome resumed =
        new ColumnModelSwitch(ds, ColumnSource.POSTS, restarted, 25).run();
    assertThat(resumed.switched()).isTrue();
    assertThat(resumed.embedded()).isEqualTo(125);
    assertThat(restarted.embeddedTexts()).isEqualTo(125);
    assertThat(
            exec(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = ?",
                modelB.modelId()))
        .isEqualTo("200");
    assertThat(
            exec(
                "SELECT state || ' ' || rows_done || '/' || rows_total FROM search_model_switches WHERE source = ?",
                POSTS))
        .isEqualTo("switched 200/200");
  }

  @Test
  void two_nodes_answer_throughout_the_switch_and_converge_after_the_swap() throws Exception {
    // enough rows that the swap's change takes each node a while to apply: searches meanwhile must
    // still find every row in the old space
    String target = postsEmbeddedWithModelA(2_999);
    SearchIndex one = index();
    SearchIndex two = index();
    closing.add(
        new IndexSync(ds, one, Duration.ofMillis(100), IndexSync.DEFAULT_RETENTION).start());
    closing.add(
        new IndexSync(secondPool(), two, Duration.ofMillis(100), IndexSync.DEFAULT_RETENTION)
            .start());
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    List<String> misses = new CopyOnWriteArrayList<>();
    Thread searcher =
        new Thread(
            () -> {
              while (!done.get()) {
                String before = two.activeModel(POSTS).orElseThrow();
                List<String> found = search(two, TARGET_TEXT);
                // a query that read the active model just as it switched may search the old space:
                // not a miss
                if ((found.isEmpty() || !found.get(0).equals(target))
                    && before.equals(two.activeModel(POSTS).orElseThrow())) {
                  misses.add(before + " " + found);
                }
                answered.incrementAndGet();
              }
            });
    searcher.start();

    ColumnModelSwitch.Outcome outcome =
        new ColumnModelSwitch(ds, ColumnSource.POSTS, modelB, 500).run();
    // each node switches its active model, then drops the old vectors
    Await.until(
        "both nodes answer with the new model and hold no old vector",
        WAIT,
        () ->
            one.activeModel(POSTS).orElseThrow().equals(modelB.modelId())
                && two.activeModel(POSTS).orElseThrow().equals(modelB.modelId())
                && one.size(new SpaceKey(POSTS, modelA.modelId())) == 0
                && two.size(new SpaceKey(POSTS, modelA.modelId())) == 0);
    done.set(true);
    searcher.join();

    assertThat(outcome.switched()).isTrue();
    assertThat(answered.get()).isPositive();
    assertThat(misses).isEmpty();
    for (SearchIndex node : List.of(one, two)) {
      assertThat(node.size(new SpaceKey(POSTS, modelB.modelId()))).isEqualTo(3_000);
      assertThat(node.size(new SpaceKey(POSTS, modelA.modelId()))).isZero();
    }
    for (String q : List.of(TARGET_TEXT, "shipping logistics week 7", "post 42 about shipping")) {
      assertThat(search(one, q)).isNotEmpty().isEqualTo(search(two, q));
    }
  }

  @Test
  void
      the_runner_embeds_the_catalogues_refreshes_an_edited_row_and_moves_every_source_to_the_new_model() {
    ModelSwitch.ensureActive(
        ds, modelA.modelId(), IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    assertThat(exec("SELECT count(*) FROM topics WHERE embedding IS NOT NULL")).isEqualTo("0");
    ModelSwitchRunner runnerA = new ModelSwitchRunner(ds, modelA, Duration.ofMinutes(1), 8);
    List<ColumnModelSwitch.Outcome> first = runnerA.runOnce();
    assertThat(first).extracting(ColumnModelSwitch.Outcome::switched).containsOnly(false);
    for (String catalogue : List.of("hook_types", "topics", "audiences")) {
      assertThat(
              exec(
                  "SELECT count(*) FROM " + catalogue + " WHERE embedding_model IS DISTINCT FROM ?",
                  modelA.modelId()))
          .isEqualTo("0");
    }
    String technology = exec("SELECT id::text FROM topics WHERE name = 'technology'");
    assertThat(
            sqlCatalogue("match_topics", modelA, "software AI engineering and the tech industry"))
        .first()
        .isEqualTo(technology);

    // an edited row loses its stale vector and the next round embeds its new text
    exec(
        "UPDATE topics SET description = 'Gardening, compost and growing vegetables.' WHERE id = ?::uuid",
        technology);
    assertThat(exec("SELECT embedding IS NULL FROM topics WHERE id = ?::uuid", technology))
        .isEqualTo("t");
    runnerA.runOnce();
    assertThat(
            sqlCatalogue("match_topics", modelA, "technology gardening compost growing vegetables"))
        .first()
        .isEqualTo(technology);

    exec("INSERT INTO viral_posts_bank (content) VALUES ('a post about compost')");
    embedAll(modelA);
    List<ColumnModelSwitch.Outcome> moved =
        new ModelSwitchRunner(ds, modelB, Duration.ofMinutes(1), 8).runOnce();
    assertThat(moved).extracting(ColumnModelSwitch.Outcome::switched).containsOnly(true);
    assertThat(exec("SELECT string_agg(DISTINCT model, ',') FROM search_active_models"))
        .isEqualTo(modelB.modelId());
    for (String table : List.of("viral_posts_bank", "hook_types", "topics", "audiences")) {
      assertThat(
              exec(
                  "SELECT count(*) FROM " + table + " WHERE embedding_model IS DISTINCT FROM ?",
                  modelB.modelId()))
          .as(table)
          .isEqualTo("0");
    }
    assertThat(
            sqlCatalogue("match_topics", modelB, "technology gardening compost growing vegetables"))
        .first()
        .isEqualTo(technology);
    assertThat(
            exec(
                "SELECT count(*) FROM search_model_switches WHERE state = 'switched' AND to_model = ?",
                modelB.modelId()))
        .isEqualTo("5");
  }

  @Test
  void posts_left_with_another_models_vector_after_the_swap_are_flagged_for_the_embedding_worker() {
    ModelSwitch.ensureActive(
        ds, modelB.modelId(), IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    exec(
        "INSERT INTO viral_posts_bank (content) VALUES ('written by a node still on the old model')");
    embedAll(modelA);
    assertThat(exec("SELECT needs_embedding FROM viral_posts_bank")).isEqualTo("f");

    new ModelSwitchRunner(ds, modelB, Duration.ofMinutes(1), 8).runOnce();
    assertThat(exec("SELECT needs_embedding FROM viral_posts_bank")).isEqualTo("t");
    embedAll(modelB);
    assertThat(exec("SELECT embedding_model FROM viral_posts_bank")).isEqualTo(modelB.modelId());
  }

  @Test
  void
      a_search_module_started_with_a_new_model_switches_by_itself_while_text_search_keeps_finding_the_post()
          throws Exception {
    String target = postsEmbeddedWithModelA(400);
    String key = "service-key";
    // the node is configured with model B and can still embed queries with A (as a node keeps the
    // local model after OPENAI_API_KEY is set)
    SearchModule module = SearchModule.start(ds, new dev.tributary.ai.Embedders(modelB, modelA));
    closing.add(module);
    List<String> models = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> answer =
          module
              .service()
              .searchText(
                  new dev.tributary.search.SearchService.TextQuery(
                      TARGET_TEXT, POSTS, 0.5, null, null));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> results = (List<Map<String, Object>>) answer.get("results");
      assertThat(results).isNotEmpty();
      assertThat(results.get(0).get("id")).isEqualTo(target);
      String model = (String) answer.get("model");
      if (models.isEmpty() || !models.get(models.size() - 1).equals(model)) {
        models.add(model);
      }
      if (model.equals(modelB.modelId())) {
        break;
      }
      Thread.sleep(5); // a steady query load through the switch, not a core spinning
    }
    assertThat(models.get(models.size() - 1)).isEqualTo(modelB.modelId());
    Await.until(
        "every source reports its switch",
        WAIT,
        () ->
            "5"
                .equals(
                    exec("SELECT count(*) FROM search_model_switches WHERE state = 'switched'")));
    assertThat(
            exec(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = ?",
                modelB.modelId()))
        .isEqualTo("401");
  }

  private List<String> sqlCatalogue(String function, HashingEmbedder model, String text) {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id::text FROM " + function + "(?::real[], -1, 5)")) {
      ps.setArray(1, c.createArrayOf("real", box(model.embed(text))));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
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

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static float[] unbox(Array array) throws SQLException {
    Float[] boxed = (Float[]) array.getArray();
    float[] out = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      out[i] = boxed[i];
    }
    return out;
  }
}
