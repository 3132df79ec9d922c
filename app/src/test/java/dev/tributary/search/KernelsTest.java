package dev.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The plain loops used without the Vector API give what the SIMD kernels give. */
class KernelsTest {
  @Test
  void plain_loops_and_simd_kernels_agree_at_every_length_and_offset() {
    SplittableRandom r = new SplittableRandom(5);
    for (int dim : new int[] {1, 7, 16, 33, 63, 64, 65, 96, 127, 384, 1536}) {
      int off = r.nextInt(5);
      byte[] codes = new byte[off + dim];
      short[] q8 = new short[dim];
      float[] vectors = new float[off + dim];
      float[] q = new float[dim];
      for (int i = 0; i < dim; i++) {
        codes[off + i] = (byte) (r.nextInt(255) - 127);
        q8[i] = (short) (r.nextInt(255) - 127);
        vectors[off + i] = (float) r.nextGaussian();
        q[i] = (float) r.nextGaussian();
      }

      assertThat(Kernels.scalarDotInt8(codes, off, q8, dim))
          .as("int8, %d dimensions", dim)
          .isEqualTo(VectorKernels.dotInt8(codes, off, q8, dim));
      assertThat(Kernels.scalarDotFloat(vectors, off, q, dim))
          .as("float, %d dimensions", dim)
          .isCloseTo(VectorKernels.dotFloat(vectors, off, q, dim), Offset.offset(1e-3f));
    }
    assertThat(Kernels.SIMD).as("the tests run with the Vector API, as ./tributary does").isTrue();
  }

  @Test
  void the_largest_codes_never_overflow_the_short_lanes() {
    for (int dim : new int[] {64, 384, 1536}) {
      byte[] codes = new byte[dim];
      short[] q8 = new short[dim];
      Arrays.fill(codes, (byte) -127);
      Arrays.fill(q8, (short) -127);
      assertThat(VectorKernels.dotInt8(codes, 0, q8, dim)).isEqualTo(127 * 127 * dim);
      Arrays.fill(q8, (short) 127);
      assertThat(VectorKernels.dotInt8(codes, 0, q8, dim)).isEqualTo(-127 * 127 * dim);
    }
  }
}
