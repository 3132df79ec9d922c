package dev.tributary.engine.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** pg_cron's schedule forms beside five fields: nicknames and second intervals. */
class PgCronFormsTest {
  private static final Instant T = Instant.parse("2026-03-02T10:17:42Z"); // a Monday

  @Test
  void nicknames_are_their_five_field_equivalents() {
    assertThat(CronExpression.parse("@hourly").nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-03-02T11:00:00Z"));
    assertThat(CronExpression.parse("@daily").nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-03-03T00:00:00Z"));
    assertThat(CronExpression.parse("@weekly").nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-03-08T00:00:00Z"));
    assertThat(CronExpression.parse("@monthly").nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(CronExpression.parse("@yearly").nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void second_intervals_tick_on_multiples_of_the_interval_so_every_node_agrees() {
    CronExpression every30 = CronExpression.parse("30 seconds");
    assertThat(every30.text()).isEqualTo("30 seconds");
    assertThat(every30.nextAfter(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-03-02T10:18:00Z"));
    assertThat(every30.latestAtOrBefore(T, ZoneOffset.UTC))
        .hasValue(Instant.parse("2026-03-02T10:17:30Z"));
    assertThat(CronExpression.parse("1 second").nextAfter(T, ZoneOffset.UTC))
        .hasValue(T.plusSeconds(1));
  }

  @Test
  void bad_forms_are_refused_with_a_reason() {
    assertThatThrownBy(() -> CronExpression.parse("0 seconds")).hasMessageContaining("1 to 59");
    assertThatThrownBy(() -> CronExpression.parse("60 seconds")).hasMessageContaining("1 to 59");
    assertThatThrownBy(() -> CronExpression.parse("@reboot")).hasMessageContaining("nicknames");
    assertThatThrownBy(() -> CronExpression.parse("0 3 * *")).hasMessageContaining("5 fields");
  }

  @Test
  void a_schedule_written_without_a_next_tick_gets_one_and_fires_only_from_then()
      throws java.sql.SQLException {
    try (HikariDataSource db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS)) {
      SettableClock clock = new SettableClock(T);
      Schedules schedules = new Schedules(db, clock, new Jobs(db, clock, null));
      try (var c = db.getConnection();
          var st = c.createStatement()) {
        st.execute(
            "INSERT INTO tributary.schedules (name, cron, kind) VALUES ('from-sql', '20 seconds', 'k')");
        st.execute(
            "INSERT INTO tributary.schedules (name, cron, kind) VALUES ('unreadable', 'nonsense', 'k')");
      }
      assertThat(schedules.fireDue("n1")).isZero();
      assertThat(schedules.get("from-sql").orElseThrow().nextFireAt())
          .isEqualTo(Instant.parse("2026-03-02T10:18:00Z"));
      assertThat(schedules.get("unreadable").orElseThrow().enabled()).isFalse();
      clock.set(Instant.parse("2026-03-02T10:18:00Z"));
      assertThat(schedules.fireDue("n1")).isEqualTo(1);
    }
  }
}
