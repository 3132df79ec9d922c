package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        it.attributes() == null ? null : json(it.attributes()),
        it.active());
  }

  static List<StagedItem> of(List<CatalogItem> items) {
    List<StagedItem> out = new ArrayList<>(items.size());
    for (CatalogItem it : items) {
      out.add(of(it));
    }
    return out;
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + items.size() * 96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(items.size());
      for (StagedItem it : items) {
        it.write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
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

  private void write(DataOutputStream out) throws IOException {
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
    out.writeShort(present);
    text(out, externalId);
    if (sku != null) text(out, sku);
    if (name != null) text(out, name);
    if (description != null) text(out, description);
    if (category != null) text(out, category);
    if (price != null) amount(out, price);
    if (costPrice != null) amount(out, costPrice);
    if (currency != null) text(out, currency);
    if (stockQuantity != null) out.writeInt(stockQuantity);
    if (imagesJson != null) text(out, imagesJson);
    if (attributesJson != null) text(out, attributesJson);
    if (active != null) out.writeBoolean(active);
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

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String text(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void amount(DataOutputStream out, BigDecimal d) throws IOException {
    byte[] unscaled = d.unscaledValue().toByteArray();
    out.writeByte(d.scale());
    out.writeByte(unscaled.length);
    out.write(unscaled);
  }

  private static BigDecimal amount(DataInputStream in) throws IOException {
    int scale = in.readByte();
    byte[] unscaled = new byte[in.readUnsignedByte()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }
}
