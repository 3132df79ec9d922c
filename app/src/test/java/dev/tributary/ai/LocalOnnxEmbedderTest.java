package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalOnnxEmbedderTest {
  private static final LocalOnnxEmbedder EMBEDDER = new LocalOnnxEmbedder();

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void vectors_are_normalised_and_have_384_dimensions() {
    float[] v = EMBEDDER.embed("How I grew my newsletter to 50,000 readers in a year");
    assertThat(v).hasSize(384);
    assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void related_texts_are_closer_than_unrelated_ones() {
    List<float[]> v = EMBEDDER.embed(List.of(
        "Hiring engineers is the hardest part of running a startup",
        "Recruiting great developers is what founders struggle with most",
        "My grandmother's recipe for apple pie needs cinnamon"));
    assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void blank_text_gets_the_zero_vector_and_keeps_its_place_in_the_batch() {
    List<float[]> v = EMBEDDER.embed(List.of("", "Pricing lessons from ten years of SaaS", "  "));
    assertThat(v).hasSize(3);
    assertThat(dot(v.get(0), v.get(0))).isZero();
    assertThat(dot(v.get(1), v.get(1))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(dot(v.get(2), v.get(2))).isZero();
  }
}
