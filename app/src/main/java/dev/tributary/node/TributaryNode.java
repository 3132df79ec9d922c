package dev.tributary.node;

import dev.tributary.ai.AiProviders;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.Embedders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.NodeSettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.VendorHttp;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.QueueConfig;
import dev.tributary.pipelines.dropin.DropIn;
import dev.tributary.pipelines.engagement.EngagementJobs;
import dev.tributary.pipelines.engagement.EngagementPipeline;
import dev.tributary.pipelines.profiles.ProfileJobs;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.publishing.PublishingJobs;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.pipelines.suppliers.SupplierConnectors;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.pipelines.vectorsync.ModelSwitch;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.pipelines.vectorsync.VectorSyncJobs;
import dev.tributary.web.WebServer;
import dev.tributary.workers.SeedWorkers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Tributary node on a migrated database: the AI providers, the profile pipeline and search with
 * their jobs and schedules on the engine, and the HTTP routes of all of them. Many nodes run
 * against one Postgres and coordinate only through it. {@link #close()} stops the web server, then
 * the engine (gracefully), then the rest; the database belongs to the caller.
 */
public final class TributaryNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TributaryNode.class);

  /** See {@link NodeSettings#DEFAULT_CASCADE_CONCURRENCY}. */
  public static final int DEFAULT_CASCADE_CONCURRENCY = NodeSettings.DEFAULT_CASCADE_CONCURRENCY;

  /** How often each queue is polled behind a pooler in transaction mode (no LISTEN there). */
  public static final Duration POLL_WITHOUT_LISTEN = Duration.ofMillis(250);

  public static final int DEFAULT_SYNC_CONCURRENCY = 1;
  public static final int DEFAULT_VECTORSYNC_CONCURRENCY = 1;

  /** What to run; {@code port} null means no HTTP server (the demo and benchmarks). */
  public record Options(String nodeId, int workerThreads, Integer port) {
    public static Options defaults(TributaryConfig config) {
      return new Options(
          config.node().nodeId().orElse(null), config.node().workerThreads(), config.port());
    }

    public Options withoutWeb() {
      return new Options(nodeId, workerThreads, null);
    }
  }

  private final AiProviders ai;
  private final ProfilePipeline profiles;
  private final SearchModule search;
  private final Engine engine;
  private final WebServer web;

  private TributaryNode(
      AiProviders ai, ProfilePipeline profiles, SearchModule search, Engine engine, WebServer web) {
    this.ai = ai;
    this.profiles = profiles;
    this.search = search;
    this.engine = engine;
    this.web = web;
  }

  public static TributaryNode start(
      TributaryConfig config, DataSource dataSource, Options options) {
    return start(config, dataSource, options, AiProviders.from(config));
  }

  /**
   * With AI providers made by the caller (a benchmark counting model calls); the node closes them.
   */
  public static TributaryNode start(
      TributaryConfig config, DataSource dataSource, Options options, AiProviders ai) {
    return start(config, dataSource, dataSource, options, ai);
  }

  /**
   * With a separate pool for request-driven queries ({@code Database.webDataSource()}): HTTP
   * requests wait on their own connections, never on the engine's.
   */
  public static TributaryNode start(
      TributaryConfig config,
      DataSource dataSource,
      DataSource requests,
      Options options,
      AiProviders ai) {
    return start(config, dataSource, requests, options, ai, builder -> {});
  }

  /**
   * With {@code extend} given the engine's builder after every pipeline registered its queues and
   * handlers, before it is built: more handlers or engine timings (the chaos suite's node adds its
   * own job kinds and a short lease).
   */
  public static TributaryNode start(
      TributaryConfig config,
      DataSource dataSource,
      DataSource requests,
      Options options,
      AiProviders ai,
      Consumer<EngineBuilder> extend) {
    VendorHttp.limitResponses(config.limits().vendorMaxResponseBytes());
    ProfilePipeline profiles = null;
    SearchModule search = null;
    Engine engine = null;
    try {
      profiles =
          config.linkedin().apiKey().isPresent()
              ? ProfilePipeline.create(config, dataSource, ai)
              : ProfilePipeline.withoutConnector(dataSource, ai);
      if (!profiles.syncAvailable()) {
        log.info(
            "profile sync is off: set RAPIDAPI_KEY to scrape LinkedIn posts (the enrichment workers run)");
      }
      boolean listen = !config.core().pooler().transactionMode();
      search = SearchModule.start(dataSource, embedders(dataSource, ai.embedder()), listen);
      ProfileJobs profileJobs = new ProfileJobs(profiles, dataSource, config.node().cascadeBatch());
      VectorSyncJobs vectorJobs = new VectorSyncJobs(dataSource, search.processor());
      EngagementPipeline engagement =
          EngagementPipeline.create(config, dataSource, Clock.systemUTC());

      EngineBuilder builder = engineBuilder(config, dataSource, options);
      String nodeId =
          options.nodeId() != null ? options.nodeId() : "pid-" + ProcessHandle.current().pid();
      PublishingModule publishing = publishing(config, dataSource, nodeId, builder);
      SeedWorkers seedWorkers = new SeedWorkers(dataSource, profileJobs.workers());
      DropIn dropIn = new DropIn(dataSource);
      dropIn.register(builder);
      SupplierPipeline suppliers = suppliers(config, dataSource);
      suppliers.register(builder, config.suppliers().concurrency());
      profileJobs.register(builder);
      seedWorkers.register(builder);
      vectorJobs.register(builder);
      engagement.jobs().register(builder);
      extend.accept(builder);
      engine = builder.build();
      profileJobs.schedule(engine.schedules(), config);
      vectorJobs.schedule(engine.schedules());
      engagement.jobs().schedule(engine.schedules());
      seedWorkers.schedule(engine.schedules());
      suppliers.schedule(engine.schedules(), config.suppliers().syncCron());
      if (publishing != null) {
        publishing.start(engine.jobs(), engine.schedules());
      }
      engine.start();

      WebServer web =
          options.port() == null
              ? null
              : WebServer.start(
                  options.port(),
                  requests,
                  NodeWeb.access(config, engine.clock()),
                  NodeWeb.routes(
                      config,
                      dataSource,
                      requests,
                      engine,
                      profiles,
                      search,
                      engagement,
                      suppliers,
                      publishing),
                  config.limits());
      publishUrl(config, dropIn, web);
      log.info(
          "node {} started: AI provider {}, profile sync {}",
          engine.nodeId(),
          ai.name(),
          profiles.syncAvailable() ? "on" : "off");
      return new TributaryNode(ai, profiles, search, engine, web);
    } catch (RuntimeException e) {
      closeAll(null, engine, search, profiles, ai);
      throw e;
    }
  }

  /** The engine with this node's queues; pipelines add their own queues and handlers. */
  private static EngineBuilder engineBuilder(
      TributaryConfig config, DataSource dataSource, Options options) {
    EngineBuilder builder =
        Engine.builder(dataSource)
            .clock(Clock.systemUTC())
            .queue(QueueConfig.of(EnqueueOptions.DEFAULT_QUEUE, options.workerThreads()))
            .queue(QueueConfig.of(ProfileJobs.CASCADE_QUEUE, config.node().cascadeConcurrency()))
            .queue(QueueConfig.of(ProfileJobs.SYNC_QUEUE, DEFAULT_SYNC_CONCURRENCY))
            .queue(QueueConfig.of(VectorSyncJobs.QUEUE, DEFAULT_VECTORSYNC_CONCURRENCY))
            .queue(QueueConfig.of(EngagementJobs.QUEUE, 1));
    if (options.nodeId() != null) {
      builder.nodeId(options.nodeId());
    }
    if (config.core().pooler().transactionMode()) {
      // LISTEN needs a session of its own, which a transaction pooler does not lend: poll more
      // often instead
      builder.listen(false).pollInterval(POLL_WITHOUT_LISTEN);
    }
    return builder;
  }

  /** Scheduled publishing's module, its queue and handlers, or null when it is off. */
  private static PublishingModule publishing(
      TributaryConfig config, DataSource dataSource, String nodeId, EngineBuilder builder) {
    PublishingModule publishing =
        PublishingModule.create(config.publishing(), dataSource, Clock.systemUTC(), nodeId);
    if (publishing != null) {
      builder.queue(QueueConfig.of(PublishingJobs.QUEUE, config.publishing().concurrency()));
      publishing.register(builder);
    }
    return publishing;
  }

  /** What get_supabase_url() answers, and the short path of net requests to this node. */
  private static void publishUrl(TributaryConfig config, DropIn dropIn, WebServer web) {
    String publicUrl =
        config.core().publicUrlSetting().isPresent() || web == null
            ? config.core().publicUrl().toString()
            : "http://localhost:" + web.port();
    dropIn.publishUrl(publicUrl);
    if (web != null) {
      dropIn.serveOwnFunctionsLocally(publicUrl, web.port());
    }
  }

  static SupplierPipeline suppliers(TributaryConfig config, DataSource dataSource) {
    Clock clock = Clock.systemUTC();
    return new SupplierPipeline(
        dataSource,
        SupplierConnectors.from(config.suppliers(), dataSource, clock),
        config.suppliers().webhookSecret(),
        SupplierPipeline.DEFAULT_BACKOFF,
        SupplierPipeline.DEFAULT_PAUSE_OVER,
        clock);
  }

  /**
   * The configured embedder, plus the bundled local model while it still answers for some source
   * (the node was started with a new model, e.g. after OPENAI_API_KEY was set): until each source
   * swaps, text queries are embedded in the model of the vectors search reads.
   */
  static Embedders embedders(DataSource dataSource, Embedder current) {
    if (!current.modelId().equals(LocalOnnxEmbedder.MODEL_ID)) {
      List<String> answering =
          ModelSwitch.sourcesAnsweringWith(dataSource, LocalOnnxEmbedder.MODEL_ID);
      if (!answering.isEmpty()) {
        log.info(
            "{} still answers for {}: it embeds queries there until they switch to {}",
            LocalOnnxEmbedder.MODEL_ID,
            answering,
            current.modelId());
        return new Embedders(current, new LocalOnnxEmbedder());
      }
    }
    return new Embedders(current);
  }

  public Engine engine() {
    return engine;
  }

  public ProfilePipeline profiles() {
    return profiles;
  }

  public SearchModule search() {
    return search;
  }

  public AiProviders ai() {
    return ai;
  }

  /** The HTTP port, or -1 without a web server. */
  public int port() {
    return web == null ? -1 : web.port();
  }

  /** The routes this node serves (none without a web server). */
  public List<WebServer.Route> routes() {
    return web == null ? List.of() : web.routes();
  }

  @Override
  public void close() {
    closeAll(web, engine, search, profiles, ai);
  }

  private static void closeAll(
      WebServer web, Engine engine, SearchModule search, ProfilePipeline profiles, AiProviders ai) {
    if (web != null) {
      web.close();
    }
    if (engine != null) {
      engine.close(); // graceful: running jobs get the shutdown deadline, then are given back
    }
    if (search != null) {
      search.close();
    }
    if (profiles != null) {
      profiles.close();
    }
    ai.close();
  }
}
