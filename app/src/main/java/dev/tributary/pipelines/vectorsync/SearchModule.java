package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedders;
import dev.tributary.search.IndexSync;
import dev.tributary.search.IndexedSource;
import dev.tributary.search.Kernels;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SearchService;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Search and vector sync assembled for one node: the index loaded and followed, the search service,
 * and the queue processor (their routes are in {@code web}). The node closes the module on
 * shutdown; the scheduler calls {@link #processor()} (every 5 minutes and on {@code NOTIFY
 * embedding_sync_queue}), the queue cleanup and {@link ModelSwitch#dropRetiredVectors}. A {@link
 * ModelSwitchRunner} keeps every source on the configured model: when another one answers, it
 * re-embeds in the background and swaps each source over at once (one node does it: advisory lock).
 */
public final class SearchModule implements AutoCloseable {
  /** How often the index reads the change log when it cannot LISTEN. */
  public static final java.time.Duration POLL_WITHOUT_LISTEN = java.time.Duration.ofSeconds(1);

  private final SearchIndex index;
  private final IndexSync sync;
  private final SearchService service;
  private final EmbeddingQueueProcessor processor;
  private final Embedders embedders;
  private ModelSwitchRunner switches;

  private SearchModule(
      SearchIndex index,
      IndexSync sync,
      SearchService service,
      EmbeddingQueueProcessor processor,
      Embedders embedders) {
    this.index = index;
    this.sync = sync;
    this.service = service;
    this.processor = processor;
    this.embedders = embedders;
  }

  /** Loads the index, follows the database's changes and starts the model switch runner. */
  public static SearchModule start(DataSource dataSource, Embedders embedders) {
    return start(dataSource, embedders, true);
  }

  /**
   * {@code listen} false behind a pooler in transaction mode: the index polls the change log every
   * {@link #POLL_WITHOUT_LISTEN} instead of waiting for {@code NOTIFY}.
   */
  public static SearchModule start(DataSource dataSource, Embedders embedders, boolean listen) {
    ModelSwitch.ensureActive(
        dataSource,
        embedders.current().modelId(),
        IndexedSource.ALL.stream().map(IndexedSource::name).toList());
    if (!Kernels.SIMD) {
      LoggerFactory.getLogger(SearchModule.class)
          .warn(
              "the JVM runs without --add-modules jdk.incubator.vector: vector search uses plain"
                  + " loops, several times slower (./tributary adds the flag)");
    }
    SearchIndex index = new SearchIndex();
    IndexSync sync =
        (listen
                ? new IndexSync(dataSource, index)
                : new IndexSync(
                    dataSource, index, POLL_WITHOUT_LISTEN, IndexSync.DEFAULT_RETENTION, false))
            .start();
    SearchService service = new SearchService(dataSource, index, embedders);
    EmbeddingQueueProcessor processor = new EmbeddingQueueProcessor(dataSource, embedders);
    SearchModule module = new SearchModule(index, sync, service, processor, embedders);
    // the configured model may differ from the one answering: re-embed in the background, search
    // answers from the old vectors until each source swaps (one node does it: advisory lock)
    module.switches = new ModelSwitchRunner(dataSource, embedders.current()).start();
    return module;
  }

  public SearchIndex index() {
    return index;
  }

  public SearchService service() {
    return service;
  }

  /** The search service reading rows through another pool (the requests' own, in a node). */
  public SearchService service(DataSource requests) {
    return new SearchService(requests, index, embedders);
  }

  public EmbeddingQueueProcessor processor() {
    return processor;
  }

  @Override
  public void close() {
    if (switches != null) {
      switches.close();
    }
    sync.close();
    index.close();
  }
}
