package dev.tributary.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Plain SQL for tests: insert fixtures, read rows back as maps. */
public final class Rows {
  private final DataSource ds;

  public Rows(DataSource ds) {
    this.ds = ds;
  }

  public UUID profile(String fullName, String linkedinId) {
    return profile(fullName, linkedinId, "external_influencer");
  }

  public UUID profile(String fullName, String linkedinId, String type) {
    return (UUID)
        one(
                "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?, ?) RETURNING id",
                fullName,
                linkedinId,
                type)
            .get("id");
  }

  public Map<String, Object> one(String sql, Object... args) {
    List<Map<String, Object>> rows = all(sql, args);
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size() + " for " + sql);
    }
    return rows.get(0);
  }

  public long count(String sql, Object... args) {
    return ((Number) one(sql, args).values().iterator().next()).longValue();
  }

  public int update(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Map<String, Object>> all(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<Map<String, Object>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            if (v instanceof java.sql.Array a) {
              v = a.getArray();
            }
            row.put(rs.getMetaData().getColumnLabel(i), v);
          }
          out.add(row);
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
