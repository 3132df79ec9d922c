package dev.tributary.pipelines.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.Retrying;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.testing.Rows;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyncOperationsTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(Migrations.LOCATIONS);

  private HikariDataSource db;
  private Rows rows;
  private SyncOperations ops;

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    rows = new Rows(db);
    ops = new SyncOperations(db);
  }

  @Test
  void failing_profiles_can_be_listed_reset_and_forced_back_into_the_sync() {
    UUID ok = rows.profile("Fine Synthetic", "synthetic-fine-01");
    UUID bad = rows.profile("Broken Synthetic", "not valid!");
    ProfileScraper scraper = new ProfileScraper(db, id -> List.of(), Retrying.none());
    for (int i = 0; i < 5; i++) {
      scraper.scrape(new DueProfile(bad, "not valid!", "Broken Synthetic", 2, null, i));
    }
    scraper.scrape(new DueProfile(ok, "synthetic-fine-01", "Fine Synthetic", 2, null, 0));
    rows.update("INSERT INTO viral_posts_bank (post_url, content) VALUES ('u1', 'text')");

    assertThat(ops.failingProfiles())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.profileId()).isEqualTo(bad);
              assertThat(f.consecutiveFailures()).isEqualTo(5);
              assertThat(f.disabled()).isTrue();
              assertThat(f.lastError()).startsWith("malformed linkedin_id");
            });
    SyncOperations.Stats stats = ops.stats();
    assertThat(stats.totalProfiles()).isEqualTo(2);
    assertThat(stats.profilesNeedingSync()).isZero();
    assertThat(stats.postsWithoutEmbedding()).isEqualTo(1);
    assertThat(stats.syncRunning()).isFalse();
    assertThat(ops.pendingCounts())
        .containsEntry("pending_embeddings", 1L)
        .containsEntry("pending_hook_extraction", 1L)
        .containsEntry("profiles_without_style", 2L);

    assertThat(ops.resetProfile(bad)).isTrue();
    assertThat(ops.failingProfiles()).isEmpty();
    assertThat(ops.stats().profilesNeedingSync())
        .as("the reset profile was never scraped: due")
        .isEqualTo(1);
    assertThat(ops.forceResync(ok)).isTrue();
    assertThat(ops.stats().profilesNeedingSync()).isEqualTo(2);
    assertThat(ops.resetProfile(UUID.randomUUID())).isFalse();
  }
}
