package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * on_unipile_connected_mark_invitation (mark_invitation_accepted), trigger_set_error_ref
 * (set_error_ref), generate_error_ref, generate_invitation_token.
 */
class AccountsAndErrorsTest {

  private static String invitation(Rows db, UUID id) {
    return db.value("SELECT status FROM invitations WHERE id = ?", id);
  }

  @Test
  void a_connected_account_accepts_the_pending_invitation_with_the_same_email() {
    try (Rows db = Rows.fresh()) {
      UUID mine =
          db.value("INSERT INTO invitations (email) VALUES ('Ada@Example.test') RETURNING id");
      UUID other =
          db.value("INSERT INTO invitations (email) VALUES ('bob@example.test') RETURNING id");
      UUID account =
          db.value(
              "INSERT INTO unipile_accounts (account_id, email, status) VALUES ('acc-1', 'ada@example.test', 'connected') RETURNING id");

      assertThat(invitation(db, mine)).isEqualTo("accepted");
      assertThat((UUID) db.value("SELECT unipile_account_id FROM invitations WHERE id = ?", mine))
          .isEqualTo(account);
      assertThat((Object) db.value("SELECT accepted_at FROM invitations WHERE id = ?", mine))
          .isNotNull();
      assertThat(invitation(db, other)).isEqualTo("pending");
    }
  }

  @Test
  void an_account_that_becomes_connected_later_accepts_the_invitation_of_its_user_or_profile() {
    try (Rows db = Rows.fresh()) {
      UUID user = UUID.randomUUID();
      UUID profile = db.profile("Ada", "ada", "internal");
      UUID byUser =
          db.value(
              "INSERT INTO invitations (email, user_id) VALUES ('a@x.test', ?) RETURNING id", user);
      UUID byProfile =
          db.value(
              "INSERT INTO invitations (email, profile_id) VALUES ('b@x.test', ?) RETURNING id",
              profile);
      UUID expired =
          db.value(
              "INSERT INTO invitations (email, user_id, expires_at) VALUES ('c@x.test', ?, now() - interval '1 day') RETURNING id",
              user);
      UUID account =
          db.value(
              "INSERT INTO unipile_accounts (account_id, user_id, profile_id, status) VALUES ('acc-2', ?, ?, 'pending') RETURNING id",
              user,
              profile);
      assertThat(invitation(db, byUser)).isEqualTo("pending");

      db.update(
          "UPDATE unipile_accounts SET status = 'connected', connected_at = now() WHERE id = ?",
          account);

      assertThat(invitation(db, byUser)).isEqualTo("accepted");
      assertThat(invitation(db, byProfile)).isEqualTo("accepted");
      assertThat(invitation(db, expired)).isEqualTo("pending");
    }
  }

  @Test
  void a_revoked_invitation_stays_revoked() {
    try (Rows db = Rows.fresh()) {
      UUID revoked =
          db.value(
              "INSERT INTO invitations (email, status) VALUES ('a@x.test', 'revoked') RETURNING id");
      db.update(
          "INSERT INTO unipile_accounts (account_id, email, status) VALUES ('acc-3', 'a@x.test', 'connected')");
      assertThat(invitation(db, revoked)).isEqualTo("revoked");
    }
  }

  @Test
  void the_account_updated_at_moves_on_update() {
    try (Rows db = Rows.fresh()) {
      UUID account =
          db.value(
              "INSERT INTO unipile_accounts (account_id, updated_at) VALUES ('acc-4', '2000-01-01') RETURNING id");
      db.update("UPDATE unipile_accounts SET display_name = 'Ada' WHERE id = ?", account);
      assertThat(
              (Boolean)
                  db.value(
                      "SELECT updated_at > '2020-01-01' FROM unipile_accounts WHERE id = ?",
                      account))
          .isTrue();
    }
  }

  @Test
  void invitation_tokens_are_long_unique_hex_strings() {
    try (Rows db = Rows.fresh()) {
      List<String> tokens =
          db.column("SELECT generate_invitation_token() FROM generate_series(1, 500)");
      assertThat(tokens).allMatch(t -> t.matches("^[0-9a-f]{64}$"));
      assertThat(new HashSet<>(tokens)).hasSize(500);
      String defaulted =
          db.value("INSERT INTO invitations (email) VALUES ('x@x.test') RETURNING token");
      assertThat(defaulted).matches("^[0-9a-f]{64}$");
    }
  }

  @Test
  void error_refs_look_like_err_and_six_characters() {
    try (Rows db = Rows.fresh()) {
      List<String> refs = db.column("SELECT generate_error_ref() FROM generate_series(1, 200)");
      assertThat(refs).allMatch(r -> r.matches("^ERR-[A-Z0-9]{6}$"));
      assertThat(new HashSet<>(refs)).hasSizeGreaterThan(195);
    }
  }

  @Test
  void every_new_ai_error_gets_a_unique_readable_reference() {
    try (Rows db = Rows.fresh()) {
      db.update(
          "INSERT INTO ai_errors (message, source) SELECT 'provider timed out', 'worker-classify-hooks-v2' FROM generate_series(1, 2000)");
      List<String> refs = db.column("SELECT user_error_ref FROM ai_errors");
      assertThat(refs).hasSize(2000).allMatch(r -> r.matches("^ERR-[A-Z0-9]{6}$"));
      assertThat(new HashSet<>(refs)).hasSize(2000);
      // a reference given by the caller is kept
      assertThat(
              (String)
                  db.value(
                      "INSERT INTO ai_errors (message, user_error_ref) VALUES ('m', 'ERR-ABC123') RETURNING user_error_ref"))
          .isEqualTo("ERR-ABC123");
    }
  }

  @Test
  void a_colliding_reference_is_drawn_again() {
    try (Rows db = Rows.fresh()) {
      // a collision is too rare to wait for: replace the generator with one whose first draw is
      // taken
      db.update("INSERT INTO ai_errors (message, user_error_ref) VALUES ('taken', 'ERR-AAAAAA')");
      db.update("CREATE SEQUENCE draws");
      db.update(
          """
          CREATE OR REPLACE FUNCTION generate_error_ref() RETURNS text LANGUAGE sql AS $$
            SELECT CASE WHEN nextval('draws') = 1 THEN 'ERR-AAAAAA' ELSE 'ERR-BBBBBB' END $$""");
      assertThat(
              (String)
                  db.value("INSERT INTO ai_errors (message) VALUES ('m') RETURNING user_error_ref"))
          .isEqualTo("ERR-BBBBBB");
      assertThat((Long) db.value("SELECT last_value FROM draws")).isEqualTo(2L);
    }
  }
}
