package dev.tributary.connectors.linkedin;

import java.util.List;

/**
 * Where the profile sync gets a profile's latest posts from; {@link RapidApiLinkedInClient} in
 * production.
 */
@FunctionalInterface
public interface LinkedInPostSource {
  /**
   * The latest posts of the profile, reshares included, newest first.
   *
   * @throws dev.tributary.connectors.ConnectorException when the provider fails or the id is
   *     malformed
   */
  List<LinkedInPost> fetchPosts(String linkedinId);
}
