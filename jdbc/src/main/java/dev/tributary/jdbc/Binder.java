package dev.tributary.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.postgresql.PGConnection;

/** Binds Java values the way the schema expects them; one place for every statement. */
final class Binder {
  private Binder() {}

  static void bind(Connection c, PreparedStatement ps, NamedSql named, Params params)
      throws SQLException {
    int i = 1;
    for (String name : named.names()) {
      if (!params.has(name)) {
        throw new IllegalArgumentException(
            "no value for parameter :"
                + name
                + " (given "
                + params
                + ") in: "
                + shortSql(named.sql()));
      }
    }
    for (String name : named.names()) {
      bindOne(c, ps, i++, params.get(name));
    }
  }

  static void bindOne(Connection c, PreparedStatement ps, int i, Object v) throws SQLException {
    switch (v) {
      case null -> ps.setObject(i, null);
      case Instant t -> ps.setTimestamp(i, Timestamp.from(t));
      case OffsetDateTime t -> ps.setTimestamp(i, Timestamp.from(t.toInstant()));
      case String s -> ps.setString(i, s);
      case Integer n -> ps.setInt(i, n);
      case Long n -> ps.setLong(i, n);
      case Boolean b -> ps.setBoolean(i, b);
      case Double d -> ps.setDouble(i, d);
      case float[] a -> ps.setArray(i, c.unwrap(PGConnection.class).createArrayOf("float4", a));
      case long[] a -> ps.setArray(i, c.createArrayOf("int8", box(a)));
      case int[] a -> ps.setArray(i, c.createArrayOf("int4", box(a)));
      case Long[] a -> ps.setArray(i, c.createArrayOf("int8", a));
      case Integer[] a -> ps.setArray(i, c.createArrayOf("int4", a));
      case String[] a -> ps.setArray(i, c.createArrayOf("text", a));
      case UUID[] a -> ps.setArray(i, c.createArrayOf("uuid", a));
      case Boolean[] a -> ps.setArray(i, c.createArrayOf("bool", a));
      case Instant[] a -> ps.setArray(i, c.createArrayOf("timestamptz", timestamps(a)));
      case Timestamp[] a -> ps.setArray(i, c.createArrayOf("timestamptz", a));
      case Array a -> ps.setArray(i, a);
      default -> ps.setObject(i, v);
    }
  }

  private static Long[] box(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Integer[] box(int[] values) {
    Integer[] out = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Timestamp[] timestamps(Instant[] values) {
    Timestamp[] out = new Timestamp[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] == null ? null : Timestamp.from(values[i]);
    }
    return out;
  }

  static String shortSql(String sql) {
    String flat = sql.strip().replaceAll("\\s+", " ");
    return flat.length() <= 120 ? flat : flat.substring(0, 120) + "…";
  }
}
