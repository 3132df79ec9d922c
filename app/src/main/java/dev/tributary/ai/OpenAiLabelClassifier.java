package dev.tributary.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 *
 * <p>A batch answer that lacks some texts, repeats one with different labels, or gives an index out
 * of range or an unknown label keeps its valid items; each missing text is then asked again alone,
 * up to {@value #RETRIES_ALONE} times, and one still without a usable answer is returned as
 * unusable with the reason, without failing the other texts or paying for them again.
 */
public final class OpenAiLabelClassifier implements LabelClassifier {
  static final int TEXTS_PER_CALL = 20;

  /** Calls for one text alone after the batch gave it no usable answer. */
  static final int RETRIES_ALONE = 2;

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
    Map<Integer, String> unusable = new HashMap<>();
    TokenUsage usage = TokenUsage.NONE;
    for (int from = 0; from < texts.size(); from += TEXTS_PER_CALL) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + TEXTS_PER_CALL));
      OpenAiClient.ChatResult answer = client.chatJson(system, userPrompt(batch), schema);
      usage = usage.plus(TokenUsage.of(answer.usage()));
      Picked picked = pick(answer.json(), batch.size(), byName);
      for (int i = 0; i < batch.size(); i++) {
        Classification c = picked.classifications[i];
        String reason = picked.reasons[i];
        for (int attempt = 0; c == null && attempt < RETRIES_ALONE; attempt++) {
          OpenAiClient.ChatResult alone =
              client.chatJson(system, userPrompt(List.of(batch.get(i))), schema);
          usage = usage.plus(TokenUsage.of(alone.usage()));
          Picked again = pick(alone.json(), 1, byName);
          c = again.classifications[0];
          reason = again.reasons[0];
        }
        out.add(c);
        if (c == null) {
          unusable.put(
              from + i,
              "the model gave no usable "
                  + kind
                  + " in its batch answer nor in "
                  + RETRIES_ALONE
                  + " calls for this text alone: "
                  + reason);
        }
      }
    }
    return new Result(out, usage, unusable);
  }

  /** The valid items of one answer, and for each text without one, why. */
  private record Picked(Classification[] classifications, String[] reasons) {}

  private Picked pick(JsonNode json, int size, Map<String, Label> byName) {
    Classification[] picked = new Classification[size];
    String[] reasons = new String[size];
    java.util.Arrays.fill(reasons, "no result for it");
    boolean[] conflicting = new boolean[size];
    for (JsonNode r : json.path("results")) {
      int i = r.path("index").canConvertToInt() ? r.path("index").asInt() : -1;
      if (i < 0 || i >= size) {
        continue; // an index of no text: nothing to keep
      }
      Label label = byName.get(r.path("label").asText());
      if (label == null) {
        if (picked[i] == null) {
          reasons[i] = "a label outside the catalogue: '" + r.path("label").asText() + "'";
        }
        continue;
      }
      if (picked[i] != null && !picked[i].label().equals(label)) {
        conflicting[i] = true; // two different labels for one text: neither is trusted
        continue;
      }
      double confidence = Math.max(0, Math.min(1, r.path("confidence").asDouble(0)));
      picked[i] = new Classification(label, confidence, providerId());
    }
    for (int i = 0; i < size; i++) {
      if (conflicting[i]) {
        picked[i] = null;
        reasons[i] = "two different labels for it";
      }
    }
    return new Picked(picked, reasons);
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
