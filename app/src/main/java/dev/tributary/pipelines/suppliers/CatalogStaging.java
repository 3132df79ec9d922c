package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The staging of a sync: each page of a stream is kept as one row of {@code supplier_sync_pages}
 * (its items in {@link StagedItem}'s compact form) in the transaction that saves its cursor, and
 * folded into the run's {@link CatalogJoin}; a resumed run reads back the pages earlier runs
 * staged. {@link CatalogMerge} writes the joined products.
 */
final class CatalogStaging {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogStaging() {}

  /** Stages one page of a stream on the caller's transaction (the one that saves its cursor). */
  static void stage(
      Handle h, UUID job, String stream, int page, boolean lists, UUID run, StagedPage staged)
      throws SQLException {
    h.update(
        """
        INSERT INTO supplier_sync_pages (import_job_id, stream, page, in_catalogue, staged_by,
                                         item_count, items)
        VALUES (:job, :stream, :page, :lists, :run, :count, :items)""",
        Params.with("job", job)
            .and("stream", stream)
            .and("page", page)
            .and("lists", lists)
            .and("run", run)
            .and("count", staged.items().size())
            .and("items", staged.bytes()));
  }

  /** Folds the pages earlier runs of this job staged (a resumed sync) into {@code join}. */
  static void loadEarlierPages(Handle h, UUID job, UUID run, CatalogJoin join) throws SQLException {
    h.query(
        """
        SELECT in_catalogue, items FROM supplier_sync_pages
         WHERE import_job_id = :job AND staged_by <> :run""",
        Params.of("job", job, "run", run),
        rs -> {
          join.add(rs.getBoolean(1), StagedItem.decode(rs.getBytes(2)));
          return Boolean.TRUE;
        });
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
