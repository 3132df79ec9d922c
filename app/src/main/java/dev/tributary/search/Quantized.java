package dev.tributary.search;

/**
 * A unit vector split into int8 codes times one scale, plus the two norms that bound the error of
 * scoring with the codes: for stored v = v' + e_v and query q = q' + e_q (v' and q' the dequantised
 * codes), |v.q - v'.q'| <= |e_v| |q| + |v'| |e_q| (Cauchy-Schwarz, twice). The index keeps every
 * vector whose upper bound can still reach the k-th best lower bound, then scores those exactly, so
 * its results are the exact float top-k, not an approximation.
 */
record Quantized(byte[] codes, float scale, float residualNorm, float codeNorm) {

  static Quantized of(float[] unit) {
    float maxAbs = 0;
    for (float x : unit) {
      maxAbs = Math.max(maxAbs, Math.abs(x));
    }
    byte[] codes = new byte[unit.length];
    if (maxAbs == 0) {
      return new Quantized(codes, 0, 0, 0);
    }
    float scale = maxAbs / 127f;
    double residual = 0;
    double code = 0;
    for (int i = 0; i < unit.length; i++) {
      int c = Math.round(unit[i] / scale);
      c = Math.max(-127, Math.min(127, c));
      codes[i] = (byte) c;
      double back = (double) c * scale;
      residual += (unit[i] - back) * (unit[i] - back);
      code += back * back;
    }
    // round the bounds up a little so float rounding in the scan can never push a true hit outside
    return new Quantized(
        codes,
        scale,
        (float) Math.sqrt(residual) * 1.001f + 1e-6f,
        (float) Math.sqrt(code) * 1.001f + 1e-6f);
  }

  short[] codesAsShorts() {
    short[] out = new short[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = codes[i];
    }
    return out;
  }

  /** Scales a vector to unit length; null when it has none (a zero vector matches nothing). */
  static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return null;
      }
      sum += (double) x * x;
    }
    if (sum == 0) {
      return null;
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }
}
