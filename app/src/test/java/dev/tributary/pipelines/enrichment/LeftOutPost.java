package dev.tributary.pipelines.enrichment;

import dev.tributary.connectors.openai.FakeOpenAi;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.Rows;
import java.util.UUID;

/**
 * Three posts waiting for topic classification, and OpenAI answers that leave the third out: the
 * batch answer labels posts 0 and 1, then the two lone re-asks of post 2 come back empty (three
 * billed calls in all).
 */
public final class LeftOutPost {
  private LeftOutPost() {}

  /** Inserts the three posts flagged for topics only; returns the topic the answers use. */
  public static String threePostsFlaggedForTopics(Rows rows, String name) {
    UUID author = rows.profile(name + " Synthetic", "synthetic-" + name.toLowerCase() + "-01");
    for (int i = 0; i < 3; i++) {
      rows.update(
          "INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES (?, ?, ?)",
          author,
          "https://example.invalid/" + name.toLowerCase() + "/" + i,
          "Post number " + i + " about pricing.");
    }
    rows.update(
        "UPDATE viral_posts_bank SET needs_hook_extraction = false, needs_embedding = false,"
            + " needs_hook_classification = false, needs_audience_classification = false,"
            + " needs_topic_classification = true");
    return String.valueOf(rows.row("SELECT name FROM topics ORDER BY name LIMIT 1").get("name"));
  }

  /** Queues the three answers on the fake. */
  public static void answersLeavingTheThirdOut(FakeHttpServer fake, String topic) {
    fake.enqueue(
        FakeOpenAi.chat(
            "{\"results\":[{\"index\":0,\"label\":\""
                + topic
                + "\",\"confidence\":0.9},{\"index\":1,\"label\":\""
                + topic
                + "\",\"confidence\":0.8}]}"),
        FakeOpenAi.chat("{\"results\":[]}"),
        FakeOpenAi.chat("{\"results\":[]}"));
  }
}
