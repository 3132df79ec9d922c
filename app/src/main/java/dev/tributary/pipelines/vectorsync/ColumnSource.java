package dev.tributary.pipelines.vectorsync;

import dev.tributary.pipelines.enrichment.EmbeddingText;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table that keeps one vector per row in its own {@code embedding} / {@code embedding_model}
 * columns, keyed by a uuid {@code id}: the posts and the three catalogues. It says which columns
 * make the text, how that text reads (the same text the rest of the system embeds for the row), and
 * a SQL hash of those columns (over alias {@code v}) that tells whether a vector still matches its
 * row.
 *
 * @param table the table, also the source name in {@code search_active_models}
 * @param textColumns the columns {@link #text} reads, in order, qualified with {@code v.}
 * @param hash SQL over alias {@code v} hashing the text columns
 * @param embeddedAt true when the table records when its vector was written ({@code embedded_at})
 * @param fillInPlace true when nothing else embeds the table's rows: the switch runner embeds rows
 *     without a vector of the active model in place (catalogues); posts have their embedding worker
 */
public record ColumnSource(
    String table,
    String textColumns,
    String hash,
    boolean embeddedAt,
    boolean fillInPlace,
    TextReader reader) {

  /** Reads a row's text from the {@link #textColumns} (starting at column {@code first}). */
  @FunctionalInterface
  public interface TextReader {
    String text(ResultSet rs, int first) throws SQLException;
  }

  /** The text the embedding worker embeds (hook + content, see {@link EmbeddingText}). */
  public static final ColumnSource POSTS =
      new ColumnSource(
          "viral_posts_bank",
          "v.hook, v.content",
          "md5(coalesce(v.hook, '') || chr(31) || coalesce(v.content, ''))",
          true,
          false,
          (rs, first) -> EmbeddingText.of(rs.getString(first), rs.getString(first + 1)));

  public static final ColumnSource HOOK_TYPES = catalogue("hook_types");
  public static final ColumnSource TOPICS = catalogue("topics");
  public static final ColumnSource AUDIENCES = catalogue("audiences");

  public static final List<ColumnSource> ALL = List.of(POSTS, HOOK_TYPES, TOPICS, AUDIENCES);

  /**
   * A catalogue row reads as the local classifier's first prototype (readable name: description),
   * followed by its examples, so a post's vector lands near the rows that describe it.
   */
  private static ColumnSource catalogue(String table) {
    return new ColumnSource(
        table,
        "v.name, v.description, v.examples",
        "md5(v.name || chr(31) || coalesce(v.description, '') || chr(31) || array_to_string(v.examples, chr(30)))",
        false,
        true,
        (rs, first) ->
            catalogueText(rs.getString(first), rs.getString(first + 1), rs.getArray(first + 2)));
  }

  static String catalogueText(String name, String description, Array examples) throws SQLException {
    List<String> lines = new ArrayList<>();
    String readable = name.replace('_', ' ').strip();
    String d = description == null ? "" : description.strip();
    lines.add(d.isEmpty() ? readable : readable + ": " + d);
    if (examples != null) {
      for (String e : Arrays.asList((String[]) examples.getArray())) {
        if (e != null && !e.isBlank()) {
          lines.add(e.strip());
        }
      }
    }
    return String.join("\n", lines);
  }
}
