package dev.tributary.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classification with no key and no network: the label whose prototypes lie nearest to the text in
 * embedding space. A label's prototypes are its name with its description, and each of its
 * examples; they are embedded once and cached (the cache key is the prototype text, so an edited
 * catalogue row is re-embedded). Deterministic {@link Cues} may add a small bonus for surface
 * patterns the embedding model does not see well (a question mark, a leading number).
 *
 * <p>Confidence is the best label's share in a softmax over the scores with temperature {@value
 * #TEMPERATURE}: near 1 when one label stands out, near 1/n when all are alike.
 */
public final class LocalLabelClassifier implements VectorLabelClassifier {
  static final double TEMPERATURE = 0.05;

  /** Catalogues hold tens of labels; the bound only matters if labels are edited endlessly. */
  private static final int MAX_CACHED_PROTOTYPES = 10_000;

  /** A bonus (0 for none) for a text and a label, from patterns that need no model. */
  @FunctionalInterface
  public interface Cues {
    double bonus(String text, Label label);

    Cues NONE = (text, label) -> 0;
  }

  private final Embedder embedder;
  private final Cues cues;
  private final String providerId;
  private final Map<String, float[]> prototypes = new ConcurrentHashMap<>();

  public LocalLabelClassifier(Embedder embedder, Cues cues) {
    this.embedder = embedder;
    this.cues = cues;
    String model = embedder.modelId();
    this.providerId =
        "local:" + (model.startsWith("local/") ? model.substring("local/".length()) : model);
  }

  @Override
  public String providerId() {
    return providerId;
  }

  @Override
  public String embeddingModel() {
    return embedder.modelId();
  }

  @Override
  public Embedder embedder() {
    return embedder;
  }

  @Override
  public Result classify(List<String> texts, List<Label> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("cannot classify against an empty catalogue");
    }
    return classifyVectors(texts, embedder.embed(texts), labels);
  }

  @Override
  public Result classifyVectors(List<String> texts, List<float[]> textVectors, List<Label> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("cannot classify against an empty catalogue");
    }
    if (textVectors.size() != texts.size()) {
      throw new IllegalArgumentException(
          texts.size() + " texts but " + textVectors.size() + " vectors");
    }
    List<List<float[]>> labelVectors = labelVectors(labels);
    List<Classification> out = new ArrayList<>(texts.size());
    double[] scores = new double[labels.size()];
    for (int t = 0; t < texts.size(); t++) {
      float[] v = textVectors.get(t);
      int best = 0;
      for (int l = 0; l < labels.size(); l++) {
        double s = Double.NEGATIVE_INFINITY;
        for (float[] p : labelVectors.get(l)) {
          s = Math.max(s, dot(v, p));
        }
        scores[l] = s + cues.bonus(texts.get(t), labels.get(l));
        if (scores[l] > scores[best]) {
          best = l;
        }
      }
      out.add(new Classification(labels.get(best), softmaxShare(scores, best), providerId));
    }
    return new Result(out, TokenUsage.NONE);
  }

  private List<List<float[]>> labelVectors(List<Label> labels) {
    List<String> missing = new ArrayList<>();
    List<List<String>> texts = new ArrayList<>(labels.size());
    for (Label label : labels) {
      List<String> protos = new ArrayList<>();
      protos.add(
          label.readableName() + (label.description().isEmpty() ? "" : ": " + label.description()));
      protos.addAll(label.examples());
      texts.add(protos);
      for (String p : protos) {
        if (!prototypes.containsKey(p) && !missing.contains(p)) {
          missing.add(p);
        }
      }
    }
    if (!missing.isEmpty()) {
      if (prototypes.size() + missing.size() > MAX_CACHED_PROTOTYPES) {
        prototypes.clear();
      }
      List<float[]> vectors = embedder.embed(missing);
      for (int i = 0; i < missing.size(); i++) {
        prototypes.put(missing.get(i), vectors.get(i));
      }
    }
    List<List<float[]>> out = new ArrayList<>(labels.size());
    for (List<String> protos : texts) {
      List<float[]> vs = new ArrayList<>(protos.size());
      for (String p : protos) {
        float[] v = prototypes.get(p);
        vs.add(v != null ? v : embedder.embed(p));
      }
      out.add(vs);
    }
    return out;
  }

  static double softmaxShare(double[] scores, int best) {
    double max = scores[best];
    double sum = 0;
    for (double s : scores) {
      sum += Math.exp((s - max) / TEMPERATURE);
    }
    return 1.0 / sum;
  }

  private static double dot(float[] a, float[] b) {
    int n = Math.min(a.length, b.length);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
