package dev.tributary.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.openai.OpenAiClient;
import java.util.List;

/**
 * Style analysis by an OpenAI chat model in a strict json_schema. The model reads a sample of the
 * posts (the most recent first, up to {@value #MAX_SAMPLE_CHARS} characters); the deterministic
 * {@link TextStatistics} of all the posts go beside its answer under {@code metrics}, so both
 * providers store comparable numbers.
 */
public final class OpenAiStyleAnalyser implements StyleAnalyser {
  static final int MAX_SAMPLE_CHARS = 24_000;
  static final int MAX_POST_CHARS = 3_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIELDS = {
    "tone", "structure", "hook_style", "vocabulary", "formatting", "call_to_action"
  };

  private final OpenAiClient client;

  public OpenAiStyleAnalyser(OpenAiClient client) {
    this.client = client;
  }

  @Override
  public String providerId() {
    return "openai:" + client.config().chatModel();
  }

  @Override
  public StyleAnalysis analyse(String authorName, List<String> posts) {
    TextStatistics stats = TextStatistics.of(posts);
    StringBuilder sample = new StringBuilder();
    int used = 0;
    for (String p : posts) {
      if (p == null || p.isBlank()) {
        continue;
      }
      String t = p.strip();
      if (t.length() > MAX_POST_CHARS) {
        t = t.substring(0, MAX_POST_CHARS) + "…";
      }
      if (used > 0 && sample.length() + t.length() > MAX_SAMPLE_CHARS) {
        break;
      }
      sample.append("--- post ").append(++used).append(" ---\n").append(t).append("\n\n");
    }
    String who = authorName == null || authorName.isBlank() ? "the author" : authorName.strip();
    String system =
        "You analyse the writing style of a LinkedIn author from their posts. Describe each aspect in one"
            + " or two sentences, then write writing_style_prompt: one paragraph, in the second person, that tells a"
            + " writer exactly how to write a new post that sounds like "
            + who
            + " (length, structure, hooks, tone,"
            + " vocabulary, formatting, emoji, calls to action). Do not quote the posts.";
    OpenAiClient.ChatResult answer = client.chatJson(system, sample.toString(), schema());
    JsonNode json = answer.json();
    String prompt = json.path("writing_style_prompt").asText("").strip();
    if (prompt.isEmpty()) {
      throw ConnectorException.invalid(
          OpenAiClient.VENDOR, "the model returned an empty writing_style_prompt");
    }
    ObjectNode analysis = JSON.createObjectNode();
    analysis.put("provider", providerId());
    analysis.put("model", answer.model());
    for (String f : FIELDS) {
      analysis.put(f, json.path(f).asText(""));
    }
    analysis.put("posts_sampled", used);
    analysis.set("metrics", stats.toJson());
    return new StyleAnalysis(prompt, analysis, providerId(), TokenUsage.of(answer.usage()));
  }

  private static OpenAiClient.JsonSchema schema() {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "object");
    ObjectNode props = root.putObject("properties");
    var required = root.putArray("required");
    for (String f : FIELDS) {
      props.putObject(f).put("type", "string");
      required.add(f);
    }
    props.putObject("writing_style_prompt").put("type", "string");
    required.add("writing_style_prompt");
    root.put("additionalProperties", false);
    return new OpenAiClient.JsonSchema("style_analysis", root);
  }
}
