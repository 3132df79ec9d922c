package dev.tributary.node.chaos;

import dev.tributary.db.Migrations;
import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import dev.tributary.engine.chaos.ChaosWorkload;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The app's load in the chaos suite: every node is a whole Tributary node ({@link
 * ChaosAppNodeMain}) running the engine's chaos jobs, the enrichment cascade ({@link CascadeLoad})
 * and serving search ({@link SearchLoad}).
 */
public final class AppChaosWorkload implements ChaosWorkload {
  private final CascadeLoad cascade;
  private final SearchLoad search = new SearchLoad();
  private List<Scenario> scenarios = List.of();
  private boolean searchBack;

  /** With this many posts inserted over the run. */
  public AppChaosWorkload(int posts) {
    this.cascade = new CascadeLoad(posts);
  }

  @Override
  public String[] migrations() {
    return Migrations.LOCATIONS;
  }

  @Override
  public String nodeMain() {
    return ChaosAppNodeMain.class.getName();
  }

  @Override
  public void prepare(ChaosRun run) {
    cascade.prepare(run);
  }

  @Override
  public void start(ChaosRun run) {
    cascade.start(run);
    search.start(run);
  }

  @Override
  public void finish(ChaosRun run, List<Scenario> scenarios) {
    this.scenarios = List.copyOf(scenarios);
    try {
      search.stop();
      searchBack = search.answeredAfterEveryFault(scenarios, Instant.now());
      cascade.finish(run);
    } catch (Exception e) {
      throw new IllegalStateException("could not measure the cascade", e);
    }
  }

  @Override
  public String scenarioColumns(Scenario s, Instant to) {
    long[] c = cascade.during(s, to);
    return String.format(Locale.ROOT, " cascade_twice=%d cascade_held=%d", c[0], c[1])
        + search.columns(s, to);
  }

  @Override
  public List<String> summary() {
    return List.of(
        cascade.summary(), search.summary() + " answered after every fault=" + searchBack);
  }

  @Override
  public String lastLineFields() {
    return String.format(
        Locale.ROOT,
        " cascade_posts=%d cascade_lost=%d cascade_twice=%d search_errors=%d",
        cascade.inserted(),
        cascade.lost(),
        cascade.twice(),
        search.errors());
  }

  public long cascadePosts() {
    return cascade.inserted();
  }

  public long cascadeLost() {
    return cascade.lost();
  }

  public long cascadeStores() {
    return cascade.stores();
  }

  public long cascadeTwice() {
    return cascade.twice();
  }

  public boolean searchAnsweredAfterEveryFault() {
    return searchBack;
  }

  public int searchHits() {
    return search.lastHits();
  }

  public List<Scenario> scenarios() {
    return scenarios;
  }

  @Override
  public void close() {
    try {
      search.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
