package dev.tributary.pipelines.profiles;

/**
 * What a sync run tells its caller while it goes (the CLI's progress bar, a job's heartbeat).
 * Called on the run's thread; an implementation must not throw.
 */
@FunctionalInterface
public interface SyncProgress {
  SyncProgress NONE = outcome -> {};

  /** The run found {@code due} profiles to scrape (before the first one starts). */
  default void started(int due) {}

  /** One profile's outcome, as it lands. */
  void profileDone(ScrapeOutcome outcome);

  /**
   * Scraping is over and the run moves on to an inline cascade step, e.g. "embedding new posts".
   */
  default void stage(String description) {}
}
