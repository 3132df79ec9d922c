package dev.tributary.pipelines.suppliers;

/** Values in COPY's text format, for the merge's COPYs. */
final class CopyText {
  private CopyText() {}

  /** A tab and the value ({@code \N} for null). */
  static void field(StringBuilder b, String v) {
    b.append('\t');
    if (v == null) {
      b.append("\\N");
    } else {
      text(b, v);
    }
  }

  /**
   * The value with backslash, tab and line breaks escaped; NUL, which text cannot hold, dropped.
   */
  static void text(StringBuilder b, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\u0000' -> {}
        default -> b.append(c);
      }
    }
  }
}
