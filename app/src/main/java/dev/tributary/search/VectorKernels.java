package dev.tributary.search;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two dot products the index spends its time in, written with the Vector API so they compile to
 * the widest SIMD the CPU has (AVX-512 or AVX2 here). Products of two int8 codes (|c| <= 127) fit
 * in a short; they are widened to int before summing, so no lane can overflow at any dimension we
 * use.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  // bytes are loaded at half the register width, then widened to fill a full register of shorts
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

  private VectorKernels() {}

  /**
   * Sum of {@code codes[off + i] * query[i]} for i in [0, dim). Two products (each at most 127 *
   * 127 = 16,129 in magnitude) are added while still shorts, since their sum still fits, so each
   * widening to int serves two products: a quarter fewer instructions per code than widening each.
   */
  static int dotInt8(byte[] codes, int off, short[] query, int dim) {
    IntVector acc0 = IntVector.zero(I);
    IntVector acc1 = IntVector.zero(I);
    int step = S.length();
    int i = 0;
    for (int bound = dim - 2 * step; i <= bound; i += 2 * step) {
      ShortVector a = widen(codes, off + i);
      ShortVector b = widen(codes, off + i + step);
      ShortVector p =
          a.mul(ShortVector.fromArray(S, query, i))
              .add(b.mul(ShortVector.fromArray(S, query, i + step)));
      acc0 = acc0.add(p.convertShape(VectorOperators.S2I, I, 0));
      acc1 = acc1.add(p.convertShape(VectorOperators.S2I, I, 1));
    }
    for (int bound = S.loopBound(dim); i < bound; i += step) {
      ShortVector p = widen(codes, off + i).mul(ShortVector.fromArray(S, query, i));
      acc0 = acc0.add(p.convertShape(VectorOperators.S2I, I, 0));
      acc1 = acc1.add(p.convertShape(VectorOperators.S2I, I, 1));
    }
    int sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += codes[off + i] * query[i];
    }
    return sum;
  }

  private static ShortVector widen(byte[] codes, int from) {
    return (ShortVector)
        ByteVector.fromArray(B, codes, from).convertShape(VectorOperators.B2S, S, 0);
  }

  /** Float dot product of {@code vectors[off .. off+dim)} with {@code query}. */
  static float dotFloat(float[] vectors, int off, float[] query, int dim) {
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(dim); i < bound; i += F.length()) {
      acc = FloatVector.fromArray(F, vectors, off + i).fma(FloatVector.fromArray(F, query, i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += vectors[off + i] * query[i];
    }
    return sum;
  }
}
