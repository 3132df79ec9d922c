package dev.tributary.config;

import dev.tributary.engine.QueueConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one node runs its work: its name, how many jobs at once, the cascade's batches, the
 * schedules, and how much it logs.
 *
 * @param nodeId empty: the engine names the node host name and process id
 * @param logLevel empty: {@value #DEFAULT_LOG_LEVEL} (logback reads the variable itself; commands
 *     that draw their own progress go quieter unless it is set)
 * @param debug unexpected CLI errors print their stack trace
 * @param syncAnswerWait how long a {@code sync-profiles} answer waits for the background cascade to
 *     embed and hook-classify the run's new posts (S0.8); what is left is reported as pending
 */
public record NodeSettings(
    Optional<String> nodeId,
    int workerThreads,
    int cascadeConcurrency,
    int cascadeBatch,
    String profileSyncCron,
    String styleRefreshCron,
    Optional<String> logLevel,
    boolean debug,
    Duration syncAnswerWait) {

  /** The engine's length limit of a node id. */
  public static final int MAX_NODE_ID_LENGTH = 100;

  public static final int DEFAULT_WORKER_THREADS = QueueConfig.DEFAULT_CONCURRENCY;
  public static final int MAX_WORKER_THREADS = 1000;

  /**
   * Drain jobs of the cascade running at once on one node. Two: while one drain claims or stores a
   * batch, the other's texts keep the model (which has a thread per core of its own) busy; with
   * one, the model waited for every database round trip (79% of raw model throughput against 91% in
   * ./bench/run cascade).
   */
  public static final int DEFAULT_CASCADE_CONCURRENCY = 2;

  public static final int MAX_CASCADE_CONCURRENCY = 100;

  /** Posts one batch of an enrichment drain claims. */
  public static final int DEFAULT_CASCADE_BATCH = 32;

  public static final int MAX_CASCADE_BATCH = 10_000;

  /** The seed's weekly sync (S0.9): Mondays 03:00 UTC. */
  public static final String DEFAULT_PROFILE_SYNC_CRON = "0 3 * * 1";

  /** The seed's monthly style refresh (S1.8): the 1st, 03:00 UTC. */
  public static final String DEFAULT_STYLE_REFRESH_CRON = "0 3 1 * *";

  public static final String DEFAULT_LOG_LEVEL = "INFO";
  public static final Set<String> LOG_LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /**
   * A sync's new posts usually reach the background cascade first; 30 s lets it embed and classify
   * a weekly run's posts (about 100 posts a second with the local model) before the answer.
   */
  public static final Duration DEFAULT_SYNC_ANSWER_WAIT = Duration.ofSeconds(30);

  /** The answer is one HTTP request; beyond this callers and proxies time out. */
  public static final Duration MAX_SYNC_ANSWER_WAIT = Duration.ofMinutes(10);

  public static final Variable TRIBUTARY_NODE_ID =
      Variable.optional(
          "TRIBUTARY_NODE_ID",
          "host name and process id",
          "this node's name in job leases, the maintenance lease and logs");
  public static final Variable TRIBUTARY_WORKER_THREADS =
      Variable.withDefault(
          "TRIBUTARY_WORKER_THREADS",
          DEFAULT_WORKER_THREADS,
          "jobs of the default queue run at once on this node");
  public static final Variable TRIBUTARY_CASCADE_CONCURRENCY =
      Variable.withDefault(
          "TRIBUTARY_CASCADE_CONCURRENCY",
          DEFAULT_CASCADE_CONCURRENCY,
          "enrichment drain jobs running at once on this node");
  public static final Variable TRIBUTARY_CASCADE_BATCH =
      Variable.withDefault(
          "TRIBUTARY_CASCADE_BATCH",
          DEFAULT_CASCADE_BATCH,
          "posts one batch of an enrichment drain claims");
  public static final Variable TRIBUTARY_PROFILE_SYNC_CRON =
      Variable.withDefault(
          "TRIBUTARY_PROFILE_SYNC_CRON", DEFAULT_PROFILE_SYNC_CRON, "weekly profile sync, UTC");
  public static final Variable TRIBUTARY_STYLE_REFRESH_CRON =
      Variable.withDefault(
          "TRIBUTARY_STYLE_REFRESH_CRON",
          DEFAULT_STYLE_REFRESH_CRON,
          "monthly style refresh of internal profiles, UTC");
  public static final Variable TRIBUTARY_LOG_LEVEL =
      Variable.withDefault("TRIBUTARY_LOG_LEVEL", DEFAULT_LOG_LEVEL, "root log level");
  public static final Variable TRIBUTARY_DEBUG =
      Variable.optional(
          "TRIBUTARY_DEBUG", null, "when set, unexpected errors print their stack trace");

  public static final Variable TRIBUTARY_SYNC_ANSWER_WAIT =
      Variable.withDefault(
          "TRIBUTARY_SYNC_ANSWER_WAIT",
          DEFAULT_SYNC_ANSWER_WAIT.toSeconds() + "s",
          "how long a sync-profiles answer waits for the run's new posts to be embedded and"
              + " hook-classified");

  public static final List<Variable> VARIABLES =
      List.of(
          TRIBUTARY_NODE_ID,
          TRIBUTARY_WORKER_THREADS,
          TRIBUTARY_CASCADE_CONCURRENCY,
          TRIBUTARY_CASCADE_BATCH,
          TRIBUTARY_PROFILE_SYNC_CRON,
          TRIBUTARY_STYLE_REFRESH_CRON,
          TRIBUTARY_LOG_LEVEL,
          TRIBUTARY_DEBUG,
          TRIBUTARY_SYNC_ANSWER_WAIT);

  public static NodeSettings parse(Map<String, String> env) {
    return new NodeSettings(
        TRIBUTARY_NODE_ID.token(env, MAX_NODE_ID_LENGTH),
        TRIBUTARY_WORKER_THREADS.integer(env, DEFAULT_WORKER_THREADS, 1, MAX_WORKER_THREADS),
        TRIBUTARY_CASCADE_CONCURRENCY.integer(
            env, DEFAULT_CASCADE_CONCURRENCY, 1, MAX_CASCADE_CONCURRENCY),
        TRIBUTARY_CASCADE_BATCH.integer(env, DEFAULT_CASCADE_BATCH, 1, MAX_CASCADE_BATCH),
        TRIBUTARY_PROFILE_SYNC_CRON.cron(env, DEFAULT_PROFILE_SYNC_CRON),
        TRIBUTARY_STYLE_REFRESH_CRON.cron(env, DEFAULT_STYLE_REFRESH_CRON),
        TRIBUTARY_LOG_LEVEL.choice(env, LOG_LEVELS),
        TRIBUTARY_DEBUG.isSet(env),
        TRIBUTARY_SYNC_ANSWER_WAIT.duration(env, DEFAULT_SYNC_ANSWER_WAIT, MAX_SYNC_ANSWER_WAIT));
  }
}
