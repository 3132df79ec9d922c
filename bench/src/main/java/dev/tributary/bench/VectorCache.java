package dev.tributary.bench;

import dev.tributary.ai.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Embeddings of a text list, kept under {@code bench/target/search-vectors/}: the texts one a line
 * beside their float32 vectors in the same order. Embedding goes in chunks appended as they are
 * done, so an interrupted run keeps its progress, and a smaller run reuses the prefix. A cache
 * whose texts differ from the asked ones (another machine's apt lists) is thrown away.
 */
final class VectorCache {
  private static final int CHUNK = 512;

  private VectorCache() {}

  static float[][] vectors(Embedder model, List<String> texts, Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = model.modelId().replaceAll("[^A-Za-z0-9.-]", "_");
    Path textFile = dir.resolve(base + ".texts");
    Path vecFile = dir.resolve(base + ".f32");
    int dim = model.dimensions();
    int cached = usablePrefix(texts, textFile, vecFile, dim);
    float[][] out = new float[texts.size()][];
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(vecFile)))) {
      for (int i = 0; i < cached; i++) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
          v[d] = in.readFloat();
        }
        out[i] = v;
      }
    }
    if (cached < texts.size()) {
      System.out.printf(
          Locale.ROOT,
          "embedding %d texts with %s (%d cached in %s)%n",
          texts.size() - cached,
          model.modelId(),
          cached,
          dir);
    }
    long t0 = System.nanoTime();
    for (int from = cached; from < texts.size(); from += CHUNK) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
      List<float[]> vs = model.embed(chunk);
      try (DataOutputStream o =
              new DataOutputStream(
                  new BufferedOutputStream(
                      Files.newOutputStream(vecFile, StandardOpenOption.APPEND)));
          var t =
              Files.newBufferedWriter(
                  textFile, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
        for (int i = 0; i < chunk.size(); i++) {
          for (float x : vs.get(i)) {
            o.writeFloat(x);
          }
          out[from + i] = vs.get(i);
        }
        o.flush();
        for (String s : chunk) {
          t.write(s);
          t.write('\n');
        }
      }
      int done = from + chunk.size() - cached;
      double rate = done / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "  embedded %d/%d (%.0f texts/s, load %s)%n",
          from + chunk.size(),
          texts.size(),
          rate,
          CpuTime.loadAverage());
    }
    return out;
  }

  /** How many leading vectors of the cache belong to the asked texts; resets a foreign cache. */
  private static int usablePrefix(List<String> texts, Path textFile, Path vecFile, int dim)
      throws IOException {
    if (!Files.exists(textFile) || !Files.exists(vecFile)) {
      reset(textFile, vecFile);
      return 0;
    }
    List<String> have = new ArrayList<>(Files.readAllLines(textFile, StandardCharsets.UTF_8));
    long vectors = Files.size(vecFile) / (4L * dim);
    int n = (int) Math.min(have.size(), vectors);
    int same = 0;
    while (same < n && same < texts.size() && have.get(same).equals(texts.get(same))) {
      same++;
    }
    if (same < Math.min(n, texts.size()) || have.size() != vectors) {
      reset(textFile, vecFile); // another corpus, or a torn append: start over
      return 0;
    }
    return same;
  }

  private static void reset(Path textFile, Path vecFile) throws IOException {
    Files.write(textFile, new byte[0]);
    Files.write(vecFile, new byte[0]);
  }
}
