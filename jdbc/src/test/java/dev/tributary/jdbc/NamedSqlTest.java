package dev.tributary.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamedSqlTest {
  @Test
  void names_become_positional_markers_in_order() {
    NamedSql n = NamedSql.parse("SELECT * FROM t WHERE a = :a AND b_2 = :b_2");
    assertThat(n.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b_2 = ?");
    assertThat(n.names()).containsExactly("a", "b_2");
  }

  @Test
  void a_repeated_name_is_bound_at_every_occurrence() {
    NamedSql n = NamedSql.parse("SELECT :q, :x, :q");
    assertThat(n.sql()).isEqualTo("SELECT ?, ?, ?");
    assertThat(n.names()).containsExactly("q", "x", "q");
  }

  @Test
  void casts_are_not_parameters_even_right_after_one() {
    NamedSql n = NamedSql.parse("SELECT :at::timestamptz, x::text, :ids::bigint[]");
    assertThat(n.sql()).isEqualTo("SELECT ?::timestamptz, x::text, ?::bigint[]");
    assertThat(n.names()).containsExactly("at", "ids");
  }

  @Test
  void string_literals_identifiers_and_comments_are_left_alone() {
    String sql =
        """
        SELECT ':not', 'it''s :no', E'\\' :no', "col:no", $$ :no $$, $fn$ :no $fn$ -- :no
        /* :no */ FROM t WHERE a = :yes""";
    NamedSql n = NamedSql.parse(sql);
    assertThat(n.names()).containsExactly("yes");
    assertThat(n.sql()).endsWith("WHERE a = ?").contains("':not'", "'it''s :no'", "$fn$ :no $fn$");
  }

  @Test
  void array_slices_and_positional_function_arguments_pass_through() {
    NamedSql n = NamedSql.parse("SELECT c[2 : 21], c[1:2], $1 FROM t WHERE x = :x");
    assertThat(n.sql()).isEqualTo("SELECT c[2 : 21], c[1:2], $1 FROM t WHERE x = ?");
    assertThat(n.names()).containsExactly("x");
  }

  @Test
  void a_bare_question_mark_is_refused_and_a_doubled_one_kept() {
    assertThatThrownBy(() -> NamedSql.parse("SELECT * FROM t WHERE a = ?"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positional");
    assertThat(NamedSql.parse("SELECT j ?? 'k' FROM t").sql()).isEqualTo("SELECT j ?? 'k' FROM t");
  }

  @Test
  void translations_are_cached_by_text() {
    String sql = "SELECT :cached_" + System.nanoTime();
    assertThat(NamedSql.of(sql)).isSameAs(NamedSql.of(sql));
  }

  @Test
  void a_missing_value_names_the_parameter() {
    NamedSql n = NamedSql.parse("SELECT :present, :absent");
    assertThatThrownBy(() -> Binder.bind(null, null, n, Params.of("present", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(":absent");
  }

  @Test
  void names_are_kept_immutable() {
    assertThat(NamedSql.parse("SELECT :a").names()).isInstanceOf(List.class).containsExactly("a");
  }
}
