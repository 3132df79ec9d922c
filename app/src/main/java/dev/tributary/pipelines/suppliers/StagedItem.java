package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One catalogue item as a sync stages it: the values of a {@link CatalogItem} with its images and
 * attributes already as JSON text, so each is serialised once, on the thread that read the page.
 * {@link #encode} and {@link #decode} turn a page of them into the compact bytes kept in {@code
 * supplier_sync_pages} (one row per page, written with the page's cursor) and back.
 */
record StagedItem(
    String externalId,
    String sku,
    String name,
    String description,
    String category,
    BigDecimal price,
    BigDecimal costPrice,
    String currency,
    Integer stockQuantity,
    String imagesJson,
    String attributesJson,
    Boolean active) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The first byte of every page: the layout below, so a later layout can still read this one. */
  static final byte FORMAT = 1;

  static StagedItem of(CatalogItem it) {
    return new StagedItem(
        it.externalId(),
        it.sku(),
        it.name(),
        it.description(),
        it.category(),
        it.price(),
        it.costPrice(),
        it.currency(),
        it.stockQuantity(),
        it.images() == null ? null : json(it.images()),
        it.attributes() == null ? null : attributesJson(it.attributes()),
        it.active());
  }

  static List<StagedItem> of(List<CatalogItem> items) {
    List<StagedItem> out = new ArrayList<>(items.size());
    for (CatalogItem it : items) {
      out.add(of(it));
    }
    return out;
  }

  /**
   * A flat map of text, numbers and flags (what connectors put in attributes) written directly;
   * anything else through Jackson.
   */
  static String attributesJson(Map<String, Object> attributes) {
    StringBuilder b = new StringBuilder(16 + attributes.size() * 24).append('{');
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      Object v = e.getValue();
      if (!(v == null
          || v instanceof String
          || v instanceof Boolean
          || v instanceof Integer
          || v instanceof Long)) {
        return json(attributes);
      }
      if (b.length() > 1) {
        b.append(',');
      }
      quoted(b, e.getKey()).append(':');
      if (v instanceof String t) {
        quoted(b, t);
      } else {
        b.append(v);
      }
    }
    return b.append('}').toString();
  }

  private static StringBuilder quoted(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * A page as bytes: the format, the count, then per item a bit set of its non-null fields and
   * those fields (text as UTF-8 with its length, amounts as unscaled value and scale).
   */
  static byte[] encode(List<StagedItem> items) {
    Out out = new Out(64 + items.size() * 128);
    out.ensure(5).put(FORMAT).putInt(items.size());
    for (StagedItem it : items) {
      it.write(out);
    }
    return java.util.Arrays.copyOf(out.buf.array(), out.buf.position());
  }

  /** A growing buffer: the page's bytes, written without a stream's per-call locking. */
  private static final class Out {
    ByteBuffer buf;

    Out(int capacity) {
      buf = ByteBuffer.allocate(capacity);
    }

    ByteBuffer ensure(int more) {
      if (buf.remaining() < more) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
        bigger.put(buf.array(), 0, buf.position());
        buf = bigger;
      }
      return buf;
    }

    void text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      ensure(4 + b.length).putInt(b.length).put(b);
    }

    void amount(BigDecimal d) {
      byte[] unscaled = d.unscaledValue().toByteArray();
      ensure(2 + unscaled.length).put((byte) d.scale()).put((byte) unscaled.length).put(unscaled);
    }
  }

  static List<StagedItem> decode(byte[] page) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(page))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("a staged page in unknown format " + format);
      }
      int n = in.readInt();
      List<StagedItem> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(read(in));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(Out out) {
    int present =
        bit(0, sku)
            | bit(1, name)
            | bit(2, description)
            | bit(3, category)
            | bit(4, price)
            | bit(5, costPrice)
            | bit(6, currency)
            | bit(7, stockQuantity)
            | bit(8, imagesJson)
            | bit(9, attributesJson)
            | bit(10, active);
    out.ensure(2).putShort((short) present);
    out.text(externalId);
    if (sku != null) out.text(sku);
    if (name != null) out.text(name);
    if (description != null) out.text(description);
    if (category != null) out.text(category);
    if (price != null) out.amount(price);
    if (costPrice != null) out.amount(costPrice);
    if (currency != null) out.text(currency);
    if (stockQuantity != null) out.ensure(4).putInt(stockQuantity);
    if (imagesJson != null) out.text(imagesJson);
    if (attributesJson != null) out.text(attributesJson);
    if (active != null) out.ensure(1).put((byte) (active ? 1 : 0));
  }

  private static StagedItem read(DataInputStream in) throws IOException {
    int p = in.readUnsignedShort();
    String id = text(in);
    return new StagedItem(
        id,
        has(p, 0) ? text(in) : null,
        has(p, 1) ? text(in) : null,
        has(p, 2) ? text(in) : null,
        has(p, 3) ? text(in) : null,
        has(p, 4) ? amount(in) : null,
        has(p, 5) ? amount(in) : null,
        has(p, 6) ? text(in) : null,
        has(p, 7) ? in.readInt() : null,
        has(p, 8) ? text(in) : null,
        has(p, 9) ? text(in) : null,
        has(p, 10) ? in.readBoolean() : null);
  }

  private static int bit(int i, Object v) {
    return v == null ? 0 : 1 << i;
  }

  private static boolean has(int present, int i) {
    return (present & (1 << i)) != 0;
  }

  private static String text(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static BigDecimal amount(DataInputStream in) throws IOException {
    int scale = in.readByte();
    byte[] unscaled = new byte[in.readUnsignedByte()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }
}
