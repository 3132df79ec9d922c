package dev.tributary.pipelines.suppliers;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows in COPY's binary format, for the new products: the server stores the values as they come,
 * with no text to parse for ids, amounts, counts and times (about a third of a text COPY's work on
 * imported_products' rows). One buffer, emptied by the caller each time it is sent.
 */
final class CopyBinary {
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private ByteBuffer buf = ByteBuffer.allocate(1 << 16);

  CopyBinary header() {
    ensure(HEADER.length).put(HEADER);
    return this;
  }

  CopyBinary trailer() {
    ensure(2).putShort((short) -1);
    return this;
  }

  CopyBinary row(int fields) {
    ensure(2).putShort((short) fields);
    return this;
  }

  int size() {
    return buf.position();
  }

  /** The bytes written since the last {@link #clear()}. */
  byte[] bytes() {
    return Arrays.copyOf(buf.array(), buf.position());
  }

  void clear() {
    buf.clear();
  }

  CopyBinary nul() {
    ensure(4).putInt(-1);
    return this;
  }

  CopyBinary uuid(UUID v) {
    if (v == null) {
      return nul();
    }
    ensure(20).putInt(16).putLong(v.getMostSignificantBits()).putLong(v.getLeastSignificantBits());
    return this;
  }

  /** Text; NUL, which PostgreSQL text cannot hold, is dropped. */
  CopyBinary text(String v) {
    if (v == null) {
      return nul();
    }
    byte[] b =
        (v.indexOf('\u0000') < 0 ? v : v.replace("\u0000", "")).getBytes(StandardCharsets.UTF_8);
    ensure(4 + b.length).putInt(b.length).put(b);
    return this;
  }

  /** jsonb: its format version (1), then the JSON text. */
  CopyBinary jsonb(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ensure(5 + b.length).putInt(b.length + 1).put((byte) 1).put(b);
    return this;
  }

  CopyBinary int4(int v) {
    ensure(8).putInt(4).putInt(v);
    return this;
  }

  CopyBinary timestamptz(Instant t) {
    long micros =
        Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    ensure(12).putInt(8).putLong(micros - PG_EPOCH_MICROS);
    return this;
  }

  /**
   * numeric's binary form: the count of base-10000 digits, the weight of the first, the sign, the
   * display scale, then the digits.
   */
  CopyBinary numeric(BigDecimal v) {
    if (v == null) {
      return nul();
    }
    int dscale = Math.max(0, v.scale());
    String plain = v.abs().setScale(dscale).toPlainString();
    int dot = plain.indexOf('.');
    String whole = dot < 0 ? plain : plain.substring(0, dot);
    String fraction = dot < 0 ? "" : plain.substring(dot + 1);
    int wholeGroups = (whole.length() + 3) / 4;
    int fractionGroups = (fraction.length() + 3) / 4;
    String digits =
        "0".repeat(wholeGroups * 4 - whole.length())
            + whole
            + fraction
            + "0".repeat(fractionGroups * 4 - fraction.length());
    short[] groups = new short[wholeGroups + fractionGroups];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = Short.parseShort(digits.substring(i * 4, i * 4 + 4));
    }
    int first = 0;
    while (first < groups.length && groups[first] == 0) {
      first++;
    }
    int last = groups.length;
    while (last > first && groups[last - 1] == 0) {
      last--;
    }
    int n = last - first;
    int weight = n == 0 ? 0 : wholeGroups - 1 - first;
    ensure(4 + 8 + 2 * n).putInt(8 + 2 * n);
    buf.putShort((short) n)
        .putShort((short) weight)
        .putShort((short) (v.signum() < 0 ? 0x4000 : 0))
        .putShort((short) dscale);
    for (int i = first; i < last; i++) {
      buf.putShort(groups[i]);
    }
    return this;
  }

  private ByteBuffer ensure(int more) {
    if (buf.remaining() < more) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
      bigger.put(buf.array(), 0, buf.position());
      buf = bigger;
    }
    return buf;
  }
}
