package dev.tributary.connectors.linkedin;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@code /get-profile-posts}.
 *
 * @param posts the readable items, reshares included
 * @param received items in {@code data}, readable or not
 * @param unreadable items skipped because they were not objects or had neither {@code post_url} nor
 *     {@code urn}
 * @param start the offset asked for (0, 50, 100…)
 * @param paginationToken the token for the next page, present only when the provider says there is
 *     one
 */
public record PostsPage(
    List<LinkedInPost> posts,
    int received,
    int unreadable,
    int start,
    Optional<String> paginationToken) {

  /** The provider's page size; a shorter page is the last one. */
  public static final int PAGE_SIZE = 50;

  public PostsPage {
    posts = List.copyOf(posts);
  }

  public boolean hasNext() {
    return paginationToken.isPresent() && received >= PAGE_SIZE;
  }
}
