package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.util.List;
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

  /**
   * Folds the pages earlier runs of this job staged (a resumed sync) into {@code join}, adding to
   * {@code complete} the products every stream has said something of.
   */
  static void loadEarlierPages(
      Handle h,
      UUID job,
      List<CatalogStream> streams,
      CatalogJoin join,
      List<CatalogJoin.Joined> complete)
      throws SQLException {
    List<String> names = streams.stream().map(CatalogStream::name).toList();
    h.query(
        "SELECT in_catalogue, stream, items FROM supplier_sync_pages WHERE import_job_id = :job",
        Params.of("job", job),
        rs -> {
          int index = names.indexOf(rs.getString(2));
          List<StagedItem> items = StagedItem.decode(rs.getBytes(3));
          if (index < 0) {
            join.add(rs.getBoolean(1), items); // a stream this scope no longer reads
          } else {
            join.add(rs.getBoolean(1), index, items, complete);
          }
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
