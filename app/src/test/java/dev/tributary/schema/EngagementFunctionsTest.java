package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testing.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * S1.11: can_profile_engage, increment_engagement_counter, get_eligible_engagers,
 * select_comment_pattern.
 */
class EngagementFunctionsTest {

  /** An internal profile opted in to engagement, with a connected account. */
  private static UUID engager(Rows db, String name, int likeLimit, int commentLimit) {
    UUID id = db.profile(name, name.toLowerCase(), "internal");
    db.update(
        "INSERT INTO engagement_settings (profile_id, daily_like_limit, daily_comment_limit) VALUES (?, ?, ?)",
        id,
        likeLimit,
        commentLimit);
    db.update(
        "INSERT INTO unipile_accounts (account_id, profile_id, status, connected_at) VALUES (?, ?, 'connected', now())",
        "acc-" + name,
        id);
    return id;
  }

  private static boolean canEngage(Rows db, UUID profile, String action) {
    return db.value("SELECT can_profile_engage(?, ?)", profile, action);
  }

  @Test
  void a_profile_can_engage_until_its_daily_limit_for_that_action_is_reached() {
    try (Rows db = Rows.fresh()) {
      UUID ada = engager(db, "Ada", 3, 1);
      for (int i = 1; i <= 3; i++) {
        assertThat(canEngage(db, ada, "like")).as("before like %d", i).isTrue();
        assertThat((Integer) db.value("SELECT increment_engagement_counter(?, 'like')", ada))
            .isEqualTo(i);
      }
      assertThat(canEngage(db, ada, "like")).isFalse();
      // other actions have their own limit
      assertThat(canEngage(db, ada, "comment")).isTrue();
      db.value("SELECT increment_engagement_counter(?, 'comment')", ada);
      assertThat(canEngage(db, ada, "comment")).isFalse();
    }
  }

  @Test
  void yesterdays_engagements_do_not_count_today() {
    try (Rows db = Rows.fresh()) {
      UUID ada = engager(db, "Ada", 2, 2);
      db.update(
          "INSERT INTO engagement_counters (profile_id, counter_date, action_type, count) VALUES (?, engagement_day() - 1, 'like', 50)",
          ada);
      assertThat(canEngage(db, ada, "like")).isTrue();
    }
  }

  @Test
  void a_profile_without_enabled_settings_never_engages() {
    try (Rows db = Rows.fresh()) {
      UUID stranger = db.profile("Stranger", "stranger", "internal");
      assertThat(canEngage(db, stranger, "like")).isFalse();
      UUID ada = engager(db, "Ada", 10, 10);
      db.update("UPDATE engagement_settings SET is_enabled = false WHERE profile_id = ?", ada);
      assertThat(canEngage(db, ada, "like")).isFalse();
      db.update(
          "UPDATE engagement_settings SET is_enabled = true, daily_like_limit = 0 WHERE profile_id = ?",
          ada);
      assertThat(canEngage(db, ada, "like")).isFalse();
    }
  }

  @Test
  void an_unknown_action_is_an_error() {
    try (Rows db = Rows.fresh()) {
      UUID ada = engager(db, "Ada", 10, 10);
      assertThatThrownBy(() -> db.value("SELECT can_profile_engage(?, 'share')", ada))
          .hasMessageContaining("unknown engagement action");
      assertThatThrownBy(() -> db.value("SELECT increment_engagement_counter(?, 'share')", ada))
          .hasMessageContaining("unknown engagement action");
    }
  }

  @Test
  void eligible_engagers_exclude_the_author_those_who_engaged_the_exhausted_and_the_unconnected() {
    try (Rows db = Rows.fresh()) {
      UUID author = engager(db, "Author", 10, 10);
      UUID ada = engager(db, "Ada", 10, 10);
      UUID bob = engager(db, "Bob", 10, 10);
      UUID done = engager(db, "Done", 10, 10);
      UUID tired = engager(db, "Tired", 1, 0);
      UUID offline = engager(db, "Offline", 10, 10);
      db.update(
          "UPDATE unipile_accounts SET status = 'disconnected' WHERE profile_id = ?", offline);
      db.update(
          "INSERT INTO post_engagements (engager_profile_id, post_author_id, external_post_id, action_type, status) VALUES (?, ?, 'urn:li:activity:1', 'like', 'done')",
          done,
          author);
      db.value("SELECT increment_engagement_counter(?, 'like')", tired);
      db.value("SELECT increment_engagement_counter(?, 'like')", ada);

      List<UUID> eligible =
          db.column("SELECT profile_id FROM get_eligible_engagers(?, 'urn:li:activity:1')", author);
      // least busy today first
      assertThat(eligible).containsExactly(bob, ada);
      assertThat(
              (Integer)
                  db.value(
                      "SELECT likes_remaining FROM get_eligible_engagers(?, 'urn:li:activity:1') WHERE profile_id = ?",
                      author,
                      ada))
          .isEqualTo(9);
      // on another post, Done is eligible again
      assertThat(
              db.<UUID>column(
                  "SELECT profile_id FROM get_eligible_engagers(?, 'urn:li:activity:2')", author))
          .contains(done);
    }
  }

  @Test
  void comment_patterns_rotate_so_each_is_used_before_any_repeats() {
    try (Rows db = Rows.fresh()) {
      UUID ada = engager(db, "Ada", 10, 10);
      UUID bob = engager(db, "Bob", 10, 10);
      db.update(
          "INSERT INTO comment_patterns (name, pattern) VALUES ('a', 'Great point about {topic}'), ('b', 'This resonates.'), ('c', 'Thanks for sharing, {author}')");
      db.update(
          "INSERT INTO comment_patterns (name, pattern, profile_id) VALUES ('bob-only', 'Bob says hi', ?)",
          bob);
      db.update(
          "INSERT INTO comment_patterns (name, pattern, is_active) VALUES ('off', 'never', false)");

      List<String> picks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        picks.add(db.value("SELECT (select_comment_pattern(?, 0)).name", ada));
      }
      assertThat(picks.subList(0, 3)).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(picks.subList(3, 6)).containsExactlyInAnyOrder("a", "b", "c");
      assertThat((Integer) db.value("SELECT sum(usage_count)::int FROM comment_patterns"))
          .isEqualTo(6);
    }
  }

  @Test
  void patterns_the_engager_used_last_are_avoided_and_used_only_when_nothing_else_is_left() {
    try (Rows db = Rows.fresh()) {
      UUID ada = engager(db, "Ada", 10, 10);
      UUID a =
          db.value(
              "INSERT INTO comment_patterns (name, pattern, usage_count) VALUES ('a', 'A', 0) RETURNING id");
      db.update("INSERT INTO comment_patterns (name, pattern, usage_count) VALUES ('b', 'B', 5)");
      db.update(
          "INSERT INTO post_engagements (engager_profile_id, external_post_id, action_type, comment_pattern_id, status) VALUES (?, 'p1', 'comment', ?, 'done')",
          ada,
          a);
      // 'a' is the least used, but Ada used it last
      assertThat((String) db.value("SELECT (select_comment_pattern(?, 3)).name", ada))
          .isEqualTo("b");
      db.update("UPDATE comment_patterns SET is_active = false WHERE name = 'b'");
      assertThat((String) db.value("SELECT (select_comment_pattern(?, 3)).name", ada))
          .isEqualTo("a");
      db.update("UPDATE comment_patterns SET is_active = false");
      assertThat((Object) db.value("SELECT (select_comment_pattern(?, 3)).id", ada)).isNull();
    }
  }
}
