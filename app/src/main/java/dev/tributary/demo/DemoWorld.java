package dev.tributary.demo;

import dev.tributary.config.StartupException;
import dev.tributary.pipelines.profiles.SyncOperations;
import dev.tributary.sandbox.SyntheticLinkedIn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The demo's synthetic profiles in the database: inserted once (a rerun adds none), made due again
 * on every run (the seed's "forcer un re-sync"), and the number of weeks the sandbox has already
 * shown them, read from the seed's own {@code sync_jobs} history, so a rerun meets a later week
 * with new posts beside known ones. Their {@code sync_enabled} is on only while the demo runs: a
 * real node on the same database never asks the real provider about people who do not exist.
 */
final class DemoWorld {
  /** Same seed, same world: every demo run talks about the same synthetic people. */
  static final long SEED = 2026;

  static final int PROFILES = 8;
  static final int INITIAL_POSTS = 15;
  static final int NEW_POSTS_PER_WEEK = 3;

  private final DataSource dataSource;
  private final SyntheticLinkedIn world =
      new SyntheticLinkedIn(SEED, PROFILES, INITIAL_POSTS, NEW_POSTS_PER_WEEK);
  private final List<String> linkedinIds;

  DemoWorld(DataSource dataSource) {
    this.dataSource = dataSource;
    this.linkedinIds = world.profiles().stream().map(SyntheticLinkedIn.Profile::publicId).toList();
  }

  SyntheticLinkedIn world() {
    return world;
  }

  List<String> linkedinIds() {
    return linkedinIds;
  }

  /**
   * Refuses to run where the demo's sync would touch other data: profiles due for sync that the
   * sandbox does not know would be scraped from it and charged a failure each, and a live node on
   * the same database could take the demo's sync job and run it against the real provider.
   */
  void checkTheDatabaseIsTheDemos(String database) throws SQLException {
    Set<String> ours = Set.copyOf(linkedinIds);
    List<String> foreign = new ArrayList<>();
    String otherNode = null;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT linkedin_id FROM get_profiles_to_sync(2147483647)");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (!ours.contains(rs.getString(1))) {
          foreign.add(rs.getString(1));
        }
      }
      try (PreparedStatement lease =
              c.prepareStatement(
                  "SELECT holder FROM tributary.leases WHERE name = 'maintenance' AND expires_at > now()");
          ResultSet l = lease.executeQuery()) {
        otherNode = l.next() ? l.getString(1) : null;
      }
    }
    String advice =
        " Run the demo on a database of its own, e.g. TRIBUTARY_DATA_DIR=./.tributary-demo ./tributary demo"
            + " (or another DATABASE_URL).";
    if (otherNode != null) {
      throw new StartupException(
          "a Tributary node ("
              + otherNode
              + ") is running on "
              + database
              + "; it could take the demo's sync job and scrape the synthetic profiles from the real provider."
              + advice);
    }
    if (!foreign.isEmpty()) {
      throw new StartupException(
          database
              + " holds "
              + foreign.size()
              + " profile(s) due for sync that the demo's"
              + " synthetic sandbox does not know ("
              + foreign.stream().limit(3).collect(Collectors.joining(", "))
              + (foreign.size() > 3 ? ", …" : "")
              + "); the demo's sync would scrape them from the sandbox and count a"
              + " failure against each."
              + advice);
    }
  }

  /** Inserts the profiles the database does not have yet; returns how many were added. */
  int insertProfiles() throws SQLException {
    int added = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
        INSERT INTO profiles (full_name, first_name, last_name, linkedin_id, headline, type, sync_enabled)
        SELECT ?, ?, ?, ?, ?, 'external_influencer', false
         WHERE NOT EXISTS (SELECT 1 FROM profiles WHERE linkedin_id = ?)""")) {
      for (SyntheticLinkedIn.Profile p : world.profiles()) {
        ps.setString(1, p.fullName());
        ps.setString(2, p.firstName());
        ps.setString(3, p.lastName());
        ps.setString(4, p.publicId());
        ps.setString(5, p.headline());
        ps.setString(6, p.publicId());
        added += ps.executeUpdate();
      }
    }
    return added;
  }

  /**
   * Weeks the sandbox already showed: the {@code sync_jobs} runs in which the first synthetic
   * profile synced. A fresh database is at week 0.
   */
  int weeksAlreadySynced() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM sync_jobs WHERE results @> jsonb_build_array(jsonb_build_object('linkedin_id', ?::text,"
                    + " 'status', 'synced'))")) {
      ps.setString(1, linkedinIds.get(0));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Every synthetic profile due now, whatever its last scrape (S0.11's force re-sync), and enabled.
   */
  void makeDue() throws SQLException {
    SyncOperations ops = new SyncOperations(dataSource);
    for (UUID id : profileIds()) {
      ops.forceResync(id);
    }
    setSyncEnabled(true);
  }

  /**
   * Takes the synthetic profiles out of every later sync (the demo's own runs turn them on again).
   */
  void disableSync() throws SQLException {
    setSyncEnabled(false);
  }

  private void setSyncEnabled(boolean enabled) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE profiles SET sync_enabled = ? WHERE linkedin_id = ANY (?) AND sync_enabled <> ?")) {
      ps.setBoolean(1, enabled);
      ps.setArray(2, c.createArrayOf("text", linkedinIds.toArray()));
      ps.setBoolean(3, enabled);
      ps.executeUpdate();
    }
  }

  List<UUID> profileIds() throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM profiles WHERE linkedin_id = ANY (?) ORDER BY linkedin_id")) {
      ps.setArray(1, c.createArrayOf("text", linkedinIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add((UUID) rs.getObject(1));
        }
      }
    }
    return out;
  }
}
