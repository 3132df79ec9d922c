package dev.tributary.search;

import dev.tributary.config.TributaryConfig;
import dev.tributary.pipelines.vectorsync.EmbeddingQueueProcessor;
import dev.tributary.pipelines.vectorsync.ModelSwitch;
import dev.tributary.pipelines.vectorsync.VectorSyncRoutes;
import dev.tributary.web.WebServer;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Search and vector sync assembled for one node: the index loaded and followed, the search service,
 * the queue processor and their routes. The server adds {@link #routes()} and closes the module on
 * shutdown; the scheduler calls {@link #processor()} (every 5 minutes and on
 * {@code NOTIFY embedding_sync_queue}), the queue cleanup and {@link ModelSwitch#dropRetiredVectors}.
 * When the configured model is not the one answering, the module starts the re-embedding itself on a
 * background thread (one node does it: advisory lock).
 */
public final class SearchModule implements AutoCloseable {
  private final SearchIndex index;
  private final IndexSync sync;
  private final SearchService service;
  private final EmbeddingQueueProcessor processor;
  private final List<WebServer.Routes> routes = new ArrayList<>();

  private SearchModule(SearchIndex index, IndexSync sync, SearchService service, EmbeddingQueueProcessor processor) {
    this.index = index;
    this.sync = sync;
    this.service = service;
    this.processor = processor;
  }

  /**
   * Starts the module; the vector sync routes are added only when {@code SERVICE_ROLE_KEY} is set
   * (they are operator endpoints), the search routes always.
   */
  public static SearchModule start(TributaryConfig config, DataSource dataSource, Embedders embedders) {
    ModelSwitch.ensureActive(dataSource, embedders.current().modelId(),
        IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    SearchIndex index = new SearchIndex();
    IndexSync sync = new IndexSync(dataSource, index).start();
    SearchService service = new SearchService(dataSource, index, embedders);
    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(dataSource, embedders);
    SearchModule module = new SearchModule(index, sync, service, processor);
    module.routes.add(new SearchRoutes(service));
    config.serviceRoleKey().ifPresent(key -> module.routes.add(new VectorSyncRoutes(dataSource, processor, key)));
    String current = embedders.current().modelId();
    if (!ModelSwitch.activeModel(dataSource, SearchService.DOCUMENTS).map(current::equals).orElse(true)) {
      // the configured model changed: re-embed in the background, search answers from the old vectors
      Thread t = new Thread(() -> {
        try {
          new ModelSwitch(dataSource, embedders.current(), 64).run();
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(SearchModule.class).error("model switch to {} failed: {}", current, e.getMessage());
        }
      }, "search-model-switch");
      t.setDaemon(true);
      t.start();
    }
    return module;
  }

  public List<WebServer.Routes> routes() {
    return List.copyOf(routes);
  }

  public SearchIndex index() {
    return index;
  }

  public SearchService service() {
    return service;
  }

  public EmbeddingQueueProcessor processor() {
    return processor;
  }

  @Override
  public void close() {
    sync.close();
    index.close();
  }
}
