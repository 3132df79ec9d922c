package dev.tributary.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.openai.OpenAiClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification by an OpenAI chat model answering in a strict json_schema whose {@code label} is
 * an enum of the catalogue's names, so the answer is always a real label. Up to {@value
 * #TEXTS_PER_CALL} texts go in one call (the seed sent one per call; a batch costs the catalogue's
 * tokens once instead of per post).
 */
public final class OpenAiLabelClassifier implements LabelClassifier {
  static final int TEXTS_PER_CALL = 20;

  /** Classification needs the gist; long posts are cut to keep a call's tokens bounded. */
  static final int MAX_TEXT_CHARS = 1500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiClient client;
  private final String kind;

  /**
   * @param kind what the labels are, for the prompt: "hook type", "topic", "audience"
   */
  public OpenAiLabelClassifier(OpenAiClient client, String kind) {
    this.client = client;
    this.kind = kind;
  }

  @Override
  public String providerId() {
    return "openai:" + client.config().chatModel();
  }

  @Override
  public Result classify(List<String> texts, List<Label> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("cannot classify against an empty catalogue");
    }
    Map<String, Label> byName = new HashMap<>();
    labels.forEach(l -> byName.put(l.name(), l));
    OpenAiClient.JsonSchema schema = schema(labels);
    String system = systemPrompt(labels);
    List<Classification> out = new ArrayList<>(texts.size());
    TokenUsage usage = TokenUsage.NONE;
    for (int from = 0; from < texts.size(); from += TEXTS_PER_CALL) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + TEXTS_PER_CALL));
      OpenAiClient.ChatResult answer = client.chatJson(system, userPrompt(batch), schema);
      usage = usage.plus(TokenUsage.of(answer.usage()));
      Classification[] picked = new Classification[batch.size()];
      for (JsonNode r : answer.json().path("results")) {
        int i = r.path("index").asInt(-1);
        Label label = byName.get(r.path("label").asText());
        if (i >= 0 && i < batch.size() && label != null && picked[i] == null) {
          double confidence = Math.max(0, Math.min(1, r.path("confidence").asDouble(0)));
          picked[i] = new Classification(label, confidence, providerId());
        }
      }
      for (int i = 0; i < picked.length; i++) {
        if (picked[i] == null) {
          throw ConnectorException.invalid(
              OpenAiClient.VENDOR,
              "the model gave no usable "
                  + kind
                  + " for text "
                  + i
                  + " of a batch of "
                  + batch.size());
        }
        out.add(picked[i]);
      }
    }
    return new Result(out, usage);
  }

  private String systemPrompt(List<Label> labels) {
    StringBuilder sb =
        new StringBuilder("You classify LinkedIn posts. For each numbered text, choose the one ")
            .append(kind)
            .append(
                " from this catalogue that fits it best, and say how confident you are (0 to 1).\n\n");
    for (Label l : labels) {
      sb.append("- ").append(l.name());
      if (!l.description().isEmpty()) {
        sb.append(": ").append(l.description());
      }
      if (!l.examples().isEmpty()) {
        sb.append(" Examples: ").append(String.join(" | ", l.examples()));
      }
      sb.append('\n');
    }
    return sb.append("\nAnswer with one result per text, using the text's index.").toString();
  }

  private static String userPrompt(List<String> batch) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < batch.size(); i++) {
      String t = batch.get(i) == null ? "" : batch.get(i).strip();
      if (t.length() > MAX_TEXT_CHARS) {
        t = t.substring(0, MAX_TEXT_CHARS) + "…";
      }
      sb.append("[").append(i).append("] ").append(t).append("\n\n");
    }
    return sb.toString();
  }

  private static OpenAiClient.JsonSchema schema(List<Label> labels) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "object");
    ObjectNode results = root.putObject("properties").putObject("results");
    results.put("type", "array");
    ObjectNode item = results.putObject("items");
    item.put("type", "object");
    ObjectNode props = item.putObject("properties");
    props.putObject("index").put("type", "integer");
    ObjectNode label = props.putObject("label");
    label.put("type", "string");
    ArrayNode names = label.putArray("enum");
    labels.forEach(l -> names.add(l.name()));
    props.putObject("confidence").put("type", "number");
    item.putArray("required").add("index").add("label").add("confidence");
    item.put("additionalProperties", false);
    root.putArray("required").add("results");
    root.put("additionalProperties", false);
    return new OpenAiClient.JsonSchema("classification", root);
  }
}
