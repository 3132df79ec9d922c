package dev.tributary.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the current row of a result set. */
@FunctionalInterface
public interface RowMapper<T> {
  T map(ResultSet rs) throws SQLException;
}
