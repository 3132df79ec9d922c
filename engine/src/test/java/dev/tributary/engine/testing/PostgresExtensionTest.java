package dev.tributary.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.JobFilter;
import dev.tributary.engine.Jobs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whichever of these runs second would see the other's job if the database were shared. */
class PostgresExtensionTest {
  @RegisterExtension
  static PostgresExtension db = PostgresExtension.migrated(EngineSchema.MIGRATIONS);

  @Test
  void each_test_gets_its_own_database() {
    new Jobs(db.dataSource()).enqueue("one", Map.of());
    assertThat(new Jobs(db.dataSource()).list(JobFilter.all())).hasSize(1);
  }

  @Test
  void a_second_test_sees_nothing_of_the_first() {
    new Jobs(db.dataSource()).enqueue("two", Map.of());
    assertThat(new Jobs(db.dataSource()).list(JobFilter.all())).hasSize(1);
  }

  @Test
  void a_second_pool_reaches_the_same_database() {
    new Jobs(db.dataSource()).enqueue("three", Map.of());
    assertThat(new Jobs(db.anotherPool(2)).list(JobFilter.all())).hasSize(1);
  }
}
