package dev.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorSpaceTest {
  private static float[] random(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static double cosine(float[] a, float[] b) {
    double d = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return d / Math.sqrt(na * nb);
  }

  @Test
  void top_k_equals_exact_scoring_with_and_without_filters_and_threshold() {
    Random r = new Random(7);
    int dim = 96;
    List<float[]> vectors = new ArrayList<>();
    try (SearchIndex index = new SearchIndex(2)) {
      SpaceKey space = new SpaceKey("s", "m");
      for (int i = 0; i < 20_000; i++) {
        float[] v = random(r, dim);
        vectors.add(v);
        index.upsert(
            space, new IndexedItem("k" + i, "k" + i, 0, Map.of("author_id", "a" + (i % 7))), v);
      }
      for (int q = 0; q < 20; q++) {
        float[] query = random(r, dim);
        String author = "a" + (q % 7);
        double threshold = q % 2 == 0 ? -1 : 0.1;
        List<String> expected = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
          if (i % 7 == q % 7 && cosine(vectors.get(i), query) > threshold) {
            ids.add(i);
          }
        }
        ids.sort(Comparator.comparingDouble((Integer i) -> -cosine(vectors.get(i), query)));
        ids.stream().limit(10).forEach(i -> expected.add("k" + i));
        List<SearchHit> hits =
            index.search(space, query, Map.of("author_id", author), threshold, 10);
        assertThat(hits).extracting(h -> h.item().key()).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void removed_and_replaced_vectors_are_no_longer_found_under_their_old_value() {
    try (SearchIndex index = new SearchIndex(1)) {
      SpaceKey space = new SpaceKey("s", "m");
      index.upsert(space, new IndexedItem("a", "a", 0, Map.of()), new float[] {1, 0, 0});
      index.upsert(space, new IndexedItem("b", "b", 0, Map.of()), new float[] {0, 1, 0});
      index.upsert(space, new IndexedItem("a", "a", 0, Map.of()), new float[] {0, 0, 1});
      index.remove(space, "b");
      assertThat(index.search(space, new float[] {1, 0, 0}, Map.of(), 0.5, 10)).isEmpty();
      assertThat(index.search(space, new float[] {0, 0, 1}, Map.of(), 0.5, 10))
          .extracting(h -> h.item().key())
          .containsExactly("a");
      assertThat(index.search(space, new float[] {0, 0, 1}, Map.of("author_id", "x"), -1, 10))
          .isEmpty();
    }
  }
}
