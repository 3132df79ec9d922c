package dev.tributary.search;

/**
 * The index's two dot products: {@link VectorKernels} (SIMD through the Vector API) when the JVM
 * was started with {@code --add-modules jdk.incubator.vector}, as {@code ./tributary} does, else
 * plain loops, so that {@code java -jar tributary-app.jar} works without the flag (searches are
 * then a few times slower; the start-up log says so). {@link VectorKernels} is only loaded when the
 * module is there: loading it without would fail.
 */
public final class Kernels {
  public static final boolean SIMD =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !Boolean.getBoolean("tributary.search.scalar");

  private Kernels() {}

  /** Sum of {@code codes[off + i] * query[i]} for i in [0, dim). */
  static int dotInt8(byte[] codes, int off, short[] query, int dim) {
    return SIMD
        ? VectorKernels.dotInt8(codes, off, query, dim)
        : scalarDotInt8(codes, off, query, dim);
  }

  static int scalarDotInt8(byte[] codes, int off, short[] query, int dim) {
    int sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += codes[off + i] * query[i];
    }
    return sum;
  }

  /** Float dot product of {@code vectors[off .. off+dim)} with {@code query}. */
  static float dotFloat(float[] vectors, int off, float[] query, int dim) {
    return SIMD
        ? VectorKernels.dotFloat(vectors, off, query, dim)
        : scalarDotFloat(vectors, off, query, dim);
  }

  static float scalarDotFloat(float[] vectors, int off, float[] query, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += vectors[off + i] * query[i];
    }
    return sum;
  }
}
