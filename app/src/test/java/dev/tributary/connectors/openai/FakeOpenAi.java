package dev.tributary.connectors.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bodies in OpenAI's wire format (spec/external-apis.md §3), for {@link FakeHttpServer} replies.
 */
public final class FakeOpenAi {
  static final ObjectMapper JSON = new ObjectMapper();

  private FakeOpenAi() {}

  public static JsonNode body(FakeHttpServer.Request r) {
    try {
      return JSON.readTree(r.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An embeddings answer for the request: vector i is [length of input i, i, 1, 0…] up to {@code
   * dims}, listed in reverse order so clients must sort by index.
   */
  public static Reply embeddings(FakeHttpServer.Request r, int dims) {
    JsonNode input = body(r).path("input");
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    List<ObjectNode> items = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < input.size(); i++) {
      ObjectNode item = JSON.createObjectNode();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode v = item.putArray("embedding");
      String text = input.get(i).asText();
      for (int d = 0; d < dims; d++) {
        v.add(d == 0 ? text.length() : d == 1 ? i : d == 2 ? 1 : 0);
      }
      items.add(item);
      tokens += text.split("\\s+").length;
    }
    Collections.reverse(items);
    ArrayNode data = root.putArray("data");
    items.forEach(data::add);
    root.put("model", body(r).path("model").asText());
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Reply.json(200, root.toString());
  }

  /**
   * A chat completion whose message content is {@code content} (a JSON text) and the given finish
   * reason.
   */
  public static Reply chat(String content, String refusal, String finishReason) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-fake");
    root.put("object", "chat.completion");
    root.put("created", 1748379903);
    root.put("model", "gpt-4o-mini-2024-07-18");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content == null) {
      message.putNull("content");
    } else {
      message.put("content", content);
    }
    if (refusal == null) {
      message.putNull("refusal");
    } else {
      message.put("refusal", refusal);
    }
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    root.putObject("usage")
        .put("prompt_tokens", 15)
        .put("completion_tokens", 9)
        .put("total_tokens", 24);
    root.put("service_tier", "default");
    return Reply.json(200, root.toString());
  }

  public static Reply chat(String content) {
    return chat(content, null, "stop");
  }

  public static Reply error(int status, String type, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.putNull("param");
    e.put("code", code);
    return Reply.json(status, root.toString());
  }
}
