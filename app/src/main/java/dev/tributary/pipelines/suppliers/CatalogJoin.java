package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams' items of one sync joined by product id, in memory, as pages are staged (and, for
 * pages an earlier run staged, as they are read back). A value said by a stream that only adds
 * fields (BigBuy's prices, stock, information) wins over one said by a stream that lists products;
 * between two streams of the same kind the larger value wins, so the result does not depend on the
 * order pages arrive in. Attributes of several streams are merged (an adding stream's keys win);
 * {@code active} is false when any stream says so; a product is in the catalogue when any listing
 * stream names it.
 */
final class CatalogJoin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** One product as the sync's streams said it; {@code adder} bit i: field i came from an adder. */
  static final class Joined {
    final String externalId;
    boolean inCatalogue;
    int adder;
    String sku;
    String name;
    String description;
    String category;
    BigDecimal price;
    BigDecimal costPrice;
    String currency;
    Integer stockQuantity;
    String imagesJson;
    String attributesJson;
    Boolean active;

    /** Bit i: stream i of the sync said something of the product. */
    long seen;

    /** Written before the reading ended (see {@link EarlyMerge}). */
    boolean early;

    Joined(String externalId) {
      this.externalId = externalId;
    }
  }

  private final Map<String, Joined> byId = new HashMap<>();

  /** The bits of every stream of the sync (0: products are never complete before the end). */
  private final long allStreams;

  private boolean changedAfterWrite;

  CatalogJoin() {
    this(0);
  }

  /** A join that tells when a product was seen in all {@code streams} streams of its sync. */
  CatalogJoin(int streams) {
    this.allStreams = streams <= 0 || streams > 63 ? 0 : (1L << streams) - 1;
  }

  /** Whether a stream said more of a product after it was written early. */
  boolean changedAfterWrite() {
    return changedAfterWrite;
  }

  int size() {
    return byId.size();
  }

  Iterable<Joined> products() {
    return byId.values();
  }

  /** Whether a listing stream named the product. */
  boolean listed(String externalId) {
    Joined j = byId.get(externalId);
    return j != null && j.inCatalogue;
  }

  /** Folds one staged page of a stream in; {@code lists}: the stream lists products to import. */
  void add(boolean lists, List<StagedItem> items) {
    for (StagedItem it : items) {
      add(lists, it);
    }
  }

  /**
   * Folds one staged page of stream number {@code stream} in, adding to {@code complete} the
   * products every stream of the sync has now said something of (once each).
   */
  void add(boolean lists, int stream, List<StagedItem> items, List<Joined> complete) {
    long bit = allStreams == 0 ? 0 : 1L << stream;
    for (StagedItem it : items) {
      Joined j = add(lists, it);
      changedAfterWrite |= j.early;
      if (bit != 0 && (j.seen & bit) == 0) {
        j.seen |= bit;
        if (j.seen == allStreams) {
          complete.add(j);
        }
      }
    }
  }

  private Joined add(boolean lists, StagedItem it) {
    Joined j = byId.computeIfAbsent(it.externalId(), Joined::new);
    boolean adds = !lists;
    j.inCatalogue |= lists;
    if (take(j, 0, j.sku, it.sku(), adds)) j.sku = it.sku();
    if (take(j, 1, j.name, it.name(), adds)) j.name = it.name();
    if (take(j, 2, j.description, it.description(), adds)) j.description = it.description();
    if (take(j, 3, j.category, it.category(), adds)) j.category = it.category();
    if (take(j, 4, j.price, it.price(), adds)) j.price = it.price();
    if (take(j, 5, j.costPrice, it.costPrice(), adds)) j.costPrice = it.costPrice();
    if (take(j, 6, j.currency, it.currency(), adds)) j.currency = it.currency();
    if (take(j, 7, j.stockQuantity, it.stockQuantity(), adds)) j.stockQuantity = it.stockQuantity();
    if (take(j, 8, j.imagesJson, it.imagesJson(), adds)) j.imagesJson = it.imagesJson();
    if (it.attributesJson() != null) {
      j.attributesJson =
          j.attributesJson == null
              ? it.attributesJson()
              : mergeAttributes(j, it.attributesJson(), adds);
      j.adder |= adds ? 1 << 9 : 0;
    }
    if (it.active() != null) {
      j.active = j.active == null ? it.active() : j.active && it.active();
    }
    return j;
  }

  /**
   * Whether {@code v} replaces the field's current value {@code cur}: a value over none, an adder's
   * over a lister's, and the larger of two from the same kind of stream.
   */
  private static <T extends Comparable<T>> boolean take(
      Joined j, int field, T cur, T v, boolean adds) {
    if (v == null) {
      return false;
    }
    int bit = 1 << field;
    boolean curAdds = (j.adder & bit) != 0;
    boolean replace =
        cur == null || (adds && !curAdds) || (adds == curAdds && v.compareTo(cur) > 0);
    if (replace) {
      j.adder = adds ? j.adder | bit : j.adder & ~bit;
    }
    return replace;
  }

  private static String mergeAttributes(Joined j, String more, boolean adds) {
    boolean curAdds = (j.adder & (1 << 9)) != 0;
    Map<String, Object> base = parse(adds || !curAdds ? j.attributesJson : more);
    base.putAll(parse(adds || !curAdds ? more : j.attributesJson));
    try {
      return JSON.writeValueAsString(base);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("staged attributes are not JSON", e);
    }
  }
}
