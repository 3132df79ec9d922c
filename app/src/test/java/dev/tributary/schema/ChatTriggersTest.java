package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** trigger_auto_title_chat_session and trigger_update_chat_session_timestamp on chat_messages. */
class ChatTriggersTest {

  private static UUID session(Rows db) {
    return db.value(
        "INSERT INTO chat_sessions (user_id, updated_at) VALUES (gen_random_uuid(), '2000-01-01') RETURNING id");
  }

  private static void say(Rows db, UUID session, String role, String content) {
    db.update(
        "INSERT INTO chat_messages (session_id, role, content) VALUES (?, ?, ?)",
        session,
        role,
        content);
  }

  private static String title(Rows db, UUID session) {
    return db.value("SELECT title FROM chat_sessions WHERE id = ?", session);
  }

  @Test
  void the_first_user_message_titles_the_session() {
    try (Rows db = Rows.fresh()) {
      UUID s = session(db);
      say(db, s, "user", "  Write me a   hook about pricing\n");
      assertThat(title(db, s)).isEqualTo("Write me a hook about pricing");
      say(db, s, "user", "Something else entirely");
      assertThat(title(db, s)).isEqualTo("Write me a hook about pricing");
    }
  }

  @Test
  void a_long_first_message_is_cut_at_a_word_boundary_near_fifty_characters() {
    try (Rows db = Rows.fresh()) {
      UUID s = session(db);
      say(
          db,
          s,
          "user",
          "Can you help me rewrite my LinkedIn post about hiring our first engineer in Lisbon?");
      String title = title(db, s);
      assertThat(title).isEqualTo("Can you help me rewrite my LinkedIn post about...");
      assertThat(title.length()).isLessThanOrEqualTo(53);
    }
  }

  @Test
  void a_single_very_long_word_is_cut_at_fifty_characters() {
    try (Rows db = Rows.fresh()) {
      UUID s = session(db);
      say(db, s, "user", "x".repeat(80));
      assertThat(title(db, s)).isEqualTo("x".repeat(50) + "...");
    }
  }

  @Test
  void assistant_messages_and_titled_sessions_keep_their_title() {
    try (Rows db = Rows.fresh()) {
      UUID s = session(db);
      say(db, s, "system", "You are a ghostwriter.");
      assertThat(title(db, s)).isNull();
      UUID named = db.value("INSERT INTO chat_sessions (title) VALUES ('My plan') RETURNING id");
      say(db, named, "user", "Hello there");
      assertThat(title(db, named)).isEqualTo("My plan");
    }
  }

  @Test
  void every_message_touches_the_session() {
    try (Rows db = Rows.fresh()) {
      UUID s = session(db);
      say(db, s, "user", "Hi");
      say(db, s, "assistant", "Hello");
      assertThat(
              (Boolean)
                  db.value("SELECT updated_at > '2020-01-01' FROM chat_sessions WHERE id = ?", s))
          .isTrue();
      assertThat((Integer) db.value("SELECT message_count FROM chat_sessions WHERE id = ?", s))
          .isEqualTo(2);
      assertThat(
              (Boolean)
                  db.value(
                      "SELECT last_message_at = (SELECT max(created_at) FROM chat_messages WHERE session_id = ?) FROM chat_sessions WHERE id = ?",
                      s,
                      s))
          .isTrue();
    }
  }
}
