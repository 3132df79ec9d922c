package dev.tributary.search;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The seven S1.10 functions: their names, the source they search, and the arguments they take
 * besides {@code query_embedding}, {@code match_threshold} and {@code match_count}.
 */
public enum MatchFunction {
  MATCH_VIRAL_POSTS("match_viral_posts", "viral_posts_bank", null),
  MATCH_VIRAL_POSTS_BY_AUTHOR("match_viral_posts_by_author", "viral_posts_bank", "author_id"),
  MATCH_VIRAL_POSTS_BY_TOPIC("match_viral_posts_by_topic", "viral_posts_bank", "topic_id"),
  MATCH_VIRAL_POSTS_FILTERED("match_viral_posts_filtered", "viral_posts_bank", "filters"),
  MATCH_TOPICS("match_topics", "topics", null),
  MATCH_AUDIENCES("match_audiences", "audiences", null),
  MATCH_HOOK_TYPES("match_hook_types", "hook_types", null);

  public static final double DEFAULT_THRESHOLD = 0.5;
  public static final int DEFAULT_COUNT = 10;
  public static final int MAX_COUNT = 1000;

  /**
   * Keys {@code match_viral_posts_filtered} accepts in {@code filters}, as the SQL function does.
   */
  public static final Set<String> POST_FILTERS =
      Set.of("author_id", "topic_id", "audience_id", "hook_type_id");

  private final String sqlName;
  private final String source;
  private final String extraArgument;

  MatchFunction(String sqlName, String source, String extraArgument) {
    this.sqlName = sqlName;
    this.source = source;
    this.extraArgument = extraArgument;
  }

  public String sqlName() {
    return sqlName;
  }

  public String source() {
    return source;
  }

  /** The function's own argument ({@code author_id}, {@code topic_id}, {@code filters}), if any. */
  public Optional<String> extraArgument() {
    return Optional.ofNullable(extraArgument);
  }

  public boolean searchesPosts() {
    return source.equals("viral_posts_bank");
  }

  public static Optional<MatchFunction> named(String name) {
    return Arrays.stream(values()).filter(f -> f.sqlName.equals(name)).findFirst();
  }
}
