package dev.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.LinkedInPost;
import dev.tributary.connectors.linkedin.PostsPage;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinkedInSandboxTest {
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(42, 8, 60, 5);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "k");
  private final RapidApiLinkedInClient client =
      new RapidApiLinkedInClient(
          LinkedInClientConfig.builder().apiKey("k").baseUrl(sandbox.baseUrl()).build());

  @AfterEach
  void close() {
    client.close();
    sandbox.close();
  }

  @Test
  void the_world_is_deterministic_and_labelled_synthetic() {
    SyntheticLinkedIn again = new SyntheticLinkedIn(42, 8, 60, 5);
    String id = world.profiles().get(0).publicId();

    assertThat(again.posts(id, 0)).isEqualTo(world.posts(id, 0));
    assertThat(new SyntheticLinkedIn(43, 8, 60, 5).posts(id, 0)).isNotEqualTo(world.posts(id, 0));
    assertThat(world.profiles())
        .allSatisfy(
            p -> {
              assertThat(p.lastName()).startsWith("Synthetic");
              assertThat(p.headline()).startsWith("Synthetic sandbox profile");
            });
    assertThat(world.posts(id, 0))
        .filteredOn(p -> p.text() != null && !p.text().isEmpty())
        .allSatisfy(p -> assertThat(p.text()).endsWith(SyntheticLinkedIn.SYNTHETIC_FOOTER));
  }

  @Test
  void pages_of_fifty_with_a_token_only_when_more_exist_as_the_real_api() {
    String url = "https://www.linkedin.com/in/" + world.profiles().get(0).publicId() + "/";

    PostsPage first = client.fetchPage(url, 0, null);
    PostsPage second = client.fetchPage(url, 50, first.paginationToken().orElseThrow());

    assertThat(first.received()).isEqualTo(50);
    assertThat(first.hasNext()).isTrue();
    assertThat(second.received()).isEqualTo(10);
    assertThat(second.paginationToken()).isEmpty();
    assertThat(client.fetchPosts(world.profiles().get(0).publicId(), 5)).hasSize(60);
  }

  @Test
  void reshares_odd_posts_and_a_new_round_are_served() {
    List<LinkedInPost> all = new java.util.ArrayList<>();
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      all.addAll(client.fetchPosts(p.publicId(), 2));
    }
    assertThat(all).anyMatch(LinkedInPost::reshared);
    assertThat(all).anyMatch(p -> p.text().isEmpty());
    assertThat(all).anyMatch(p -> p.text().length() > 20_000);
    assertThat(client.fetchPosts(SyntheticLinkedIn.EMPTY_PROFILE)).isEmpty();

    String id = world.profiles().get(2).publicId();
    List<LinkedInPost> before = client.fetchPosts(id, 2);
    sandbox.advanceRound();
    List<LinkedInPost> after = client.fetchPosts(id, 2);
    assertThat(after).hasSize(before.size() + 5);
    assertThat(after.subList(5, after.size()))
        .extracting(LinkedInPost::postUrl)
        .containsExactlyElementsOf(before.stream().map(LinkedInPost::postUrl).toList());
  }

  @Test
  void an_unknown_profile_is_404_and_a_wrong_key_is_401() {
    ConnectorException unknown =
        catchThrowableOfType(ConnectorException.class, () -> client.fetchPosts("synthetic-nobody"));
    assertThat(unknown.status()).isEqualTo(404);

    try (RapidApiLinkedInClient wrong =
        new RapidApiLinkedInClient(
            LinkedInClientConfig.builder().apiKey("nope").baseUrl(sandbox.baseUrl()).build())) {
      ConnectorException e =
          catchThrowableOfType(
              ConnectorException.class, () -> wrong.fetchPosts(world.profiles().get(0).publicId()));
      assertThat(e.status()).isEqualTo(401);
    }
  }
}
