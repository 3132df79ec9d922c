package dev.tributary.ai;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The catalogues exactly as the seed migration inserts them, read from a real database. */
public final class SeedCatalogues {
  private SeedCatalogues() {}

  public static List<Label> read(DataSource ds, String table) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, name, description, examples FROM " + table + " ORDER BY name")) {
      List<Label> out = new ArrayList<>();
      while (rs.next()) {
        Array examples = rs.getArray("examples");
        out.add(
            new Label(
                (UUID) rs.getObject("id"),
                rs.getString("name"),
                rs.getString("description"),
                examples == null ? List.of() : List.of((String[]) examples.getArray())));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
