package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.List;
import javax.sql.DataSource;

/**
 * The rows of one {@link ColumnSource} as a model switch reads them: id, the text to embed and its
 * content hash, a batch at a time in id order; plus counts and updates against the source's table.
 */
final class ColumnRows {
  static final String FIRST_ID = "00000000-0000-0000-0000-000000000000";

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final ColumnSource source;
  private final int textColumnCount;

  ColumnRows(DataSource dataSource, ColumnSource source) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.source = source;
    this.textColumnCount = source.textColumns().split(",").length;
  }

  /** A row's id, the text its vector is made from, and that text's hash. */
  record Row(String id, String text, String hash) {}

  DataSource dataSource() {
    return dataSource;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  ColumnSource source() {
    return source;
  }

  String table() {
    return source.table();
  }

  /**
   * Reads {@code SELECT id, text, hash FROM table v WHERE <where> ORDER BY v.id LIMIT <limit>};
   * {@code where} takes named parameters from {@code params}; {@code doing} names the read in an
   * error ("to embed").
   */
  List<Row> read(String where, int limit, String doing, Params params) {
    String sql =
        "SELECT v.id::text, "
            + source.textColumns()
            + ", "
            + source.hash()
            + " FROM "
            + source.table()
            + " v"
            + " WHERE "
            + where
            + " ORDER BY v.id LIMIT :limit";
    return jdbc.withConnection(
        "read " + source.table() + " rows " + doing,
        h ->
            h.query(
                sql,
                params.and("limit", limit),
                rs ->
                    new Row(
                        rs.getString(1),
                        source.reader().text(rs, 2),
                        rs.getString(2 + textColumnCount))));
  }

  long count(String sql, Params params) {
    return jdbc.withConnection(
        "count " + source.table() + " rows",
        h -> h.queryOne(sql, params, rs -> rs.getLong(1)).orElseThrow());
  }

  int update(String sql, Params params) {
    return jdbc.withConnection("update " + source.table(), h -> h.update(sql, params));
  }
}
