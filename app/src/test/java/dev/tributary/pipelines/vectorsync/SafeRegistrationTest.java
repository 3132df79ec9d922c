package dev.tributary.pipelines.vectorsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Registering a vector-sync source with hostile or broken expressions: each is refused with the
 * database's reason, leaves no trigger and no source behind, and the table stays writable.
 */
class SafeRegistrationTest {
  private final HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final VectorSyncAdmin admin = new VectorSyncAdmin(ds);

  @BeforeEach
  void table() {
    exec(
        "CREATE TABLE projects (id bigserial PRIMARY KEY, name text, summary text, published boolean DEFAULT true)");
    exec("INSERT INTO projects (name, summary) VALUES ('alpha', 'first'), ('beta', 'second')");
  }

  @AfterEach
  void close() {
    ds.close();
  }

  @ParameterizedTest(name = "[{index}] {0} / {1}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '`',
      value = {
        "name); DROP TABLE projects; SELECT (1 # # one expression: no ';'",
        "`$x$ || name || $x$` # # '$'",
        "name -- a comment # # comments",
        "name /* a comment */ # # comments",
        "name)::text, 'x', true FROM (SELECT (r).*) t UNION SELECT rolname, rolpassword, true FROM pg_authid WHERE (true"
            + " # # closes a parenthesis it did not open",
        "(name # # leaves a parenthesis open",
        "`'unterminated` # # unterminated quote",
        "(SELECT string_agg(full_name, ',') FROM profiles) # # permission denied for table profiles",
        "(SELECT count(*)::text FROM orders) # # permission denied for table orders",
        "pg_sleep(5)::text || name # # not allowed",
        "name || set_config('search_path', 'evil', false) # # not allowed",
        "name || current_setting('app.secret') # # not allowed",
        "(1 / (length(name) - 4))::text # # division by zero",
        "no_such_column # # no_such_column",
        "name # true) OR (SELECT true FROM profiles LIMIT 1 # closes a parenthesis it did not open",
        "name # (SELECT count(*) > 0 FROM profiles) # permission denied for table profiles",
        "name # published; DELETE FROM projects # one expression",
      })
  void a_hostile_or_broken_expression_is_refused_and_leaves_nothing_behind(
      String content, String where, String reason) {
    assertThatThrownBy(() -> admin.register("projects", "id", content, where))
        .isInstanceOf(VectorSyncAdmin.InvalidRequest.class)
        .hasMessageContaining(reason);
    assertThat(count("SELECT count(*) FROM projects")).as("the table is still there").isEqualTo(2);
    assertThat(triggers()).as("triggers left on the table").isZero();
    assertThat(count("SELECT count(*) FROM vector_sync_sources WHERE source_table = 'projects'"))
        .isZero();
    exec("INSERT INTO projects (name, summary) VALUES ('gamma', 'third')");
    exec("UPDATE projects SET name = name || '!'");
  }

  @Test
  void a_good_expression_is_registered_and_its_function_runs_with_the_restricted_role() {
    assertThat(admin.register("projects", "id", "name || E'\\n' || summary", "published"))
        .isEqualTo(2);
    assertThat(triggers()).isEqualTo(1);
    assertThat(
            text(
                "SELECT pg_get_userbyid(proowner) || ' ' || prosecdef FROM pg_proc"
                    + " WHERE proname = 'vector_sync_row_projects'"))
        .isEqualTo("tributary_expression true");
    exec("INSERT INTO projects (name, summary) VALUES ('gamma', 'third')");
    assertThat(
            text(
                "SELECT content FROM embedding_sync_queue WHERE source_table = 'projects'"
                    + " AND status = 'pending' ORDER BY created_at DESC, id DESC LIMIT 1"))
        .isEqualTo("gamma\nthird");
  }

  @Test
  void a_bad_re_registration_leaves_the_working_one_in_place() {
    admin.register("projects", "id", "name", null);
    assertThatThrownBy(
            () -> admin.register("projects", "id", "(SELECT min(full_name) FROM profiles)", null))
        .isInstanceOf(VectorSyncAdmin.InvalidRequest.class)
        .hasMessageContaining("permission denied");
    assertThat(text("SELECT content_sql FROM vector_sync_sources WHERE source_table = 'projects'"))
        .isEqualTo("name");
    exec("INSERT INTO projects (name, summary) VALUES ('delta', 'fourth')");
    assertThat(
            count(
                "SELECT count(*) FROM embedding_sync_queue WHERE source_table = 'projects'"
                    + " AND content = 'delta'"))
        .isEqualTo(1);
  }

  @Test
  void the_seed_sources_registered_before_run_with_the_restricted_role_too() {
    assertThat(
            text(
                "SELECT string_agg(pg_get_userbyid(proowner) || ':' || prosecdef, ',' ORDER BY proname)"
                    + " FROM pg_proc WHERE proname IN ('vector_sync_row_faq_items', 'vector_sync_row_client_documents')"))
        .isEqualTo("tributary_expression:true,tributary_expression:true");
    exec("INSERT INTO faq_items (question, answer, is_published) VALUES ('q?', 'a.', true)");
    assertThat(count("SELECT count(*) FROM embedding_sync_queue WHERE source_table = 'faq_items'"))
        .isPositive();
  }

  private long triggers() {
    return count(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'projects'::regclass AND NOT tgisinternal");
  }

  private long count(String sql) {
    return Long.parseLong(text(sql));
  }

  private String text(String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void exec(String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
