package dev.tributary.ai;

import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.openai.OpenAiClient;
import dev.tributary.connectors.openai.OpenAiConfig;

/**
 * The AI the pipelines use: OpenAI when {@code OPENAI_API_KEY} is set, the local models otherwise
 * (no key, no network). One instance per process: the local embedder holds the ONNX model, and the
 * local classifiers cache their catalogues' vectors.
 *
 * @param name {@code openai} or {@code local}
 */
public record AiProviders(
    String name,
    Embedder embedder,
    LabelClassifier hookClassifier,
    LabelClassifier topicClassifier,
    LabelClassifier audienceClassifier,
    StyleAnalyser styleAnalyser,
    Runnable onClose)
    implements AutoCloseable {

  public static AiProviders from(TributaryConfig config) {
    return config.openai().apiKey().isPresent()
        ? openAi(new OpenAiClient(OpenAiConfig.from(config.openai())))
        : local();
  }

  /** Local ONNX embeddings, nearest-label classification, text-statistics style analysis. */
  public static AiProviders local() {
    return local(new LocalOnnxEmbedder());
  }

  public static AiProviders local(Embedder embedder) {
    return new AiProviders(
        "local",
        embedder,
        new LocalLabelClassifier(embedder, new HookCues()),
        new LocalLabelClassifier(embedder, LocalLabelClassifier.Cues.NONE),
        new LocalLabelClassifier(embedder, LocalLabelClassifier.Cues.NONE),
        new LocalStyleAnalyser(),
        () -> {});
  }

  public static AiProviders openAi(OpenAiClient client) {
    return new AiProviders(
        "openai",
        new OpenAiEmbedder(client),
        new OpenAiLabelClassifier(client, "hook type"),
        new OpenAiLabelClassifier(client, "topic"),
        new OpenAiLabelClassifier(client, "audience"),
        new OpenAiStyleAnalyser(client),
        client::close);
  }

  @Override
  public void close() {
    onClose.run();
  }
}
