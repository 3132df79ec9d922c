package dev.tributary.sandbox;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A SYNTHETIC supplier catalogue for the demo and the benchmarks: {@code size} products whose
 * values are computed from their index, a seed and a round, so nothing is stored and every run with
 * the same seed sees the same catalogue. At each round exactly {@code changePercent}% of the
 * products (a different set each round) get a new price and a new stock; everything else stays as
 * it was.
 */
public final class SyntheticCatalogue {
  /** External ids start here (BigBuy's ids are six-digit numbers). */
  public static final long FIRST_ID = 100_000;

  private static final String[] NOUNS = {
    "Lamp",
    "Mug",
    "Backpack",
    "Speaker",
    "Cushion",
    "Kettle",
    "Watch",
    "Planter",
    "Blanket",
    "Drone"
  };
  private static final String[] ADJECTIVES = {
    "Nordic", "Compact", "Solar", "Bamboo", "Retro", "Foldable", "Smart", "Velvet", "Ceramic"
  };

  private final long seed;
  private final int size;
  private final int changePercent;
  private final long multiplier;

  /** One product as one round shows it. */
  public record Product(
      long id,
      String sku,
      String name,
      String category,
      BigDecimal wholesale,
      BigDecimal retail,
      int stock) {}

  public SyntheticCatalogue(long seed, int size, int changePercent) {
    if (size < 1) {
      throw new IllegalArgumentException("a catalogue needs at least one product");
    }
    if (changePercent < 0 || changePercent > 100) {
      throw new IllegalArgumentException("changePercent is between 0 and 100");
    }
    this.seed = seed;
    this.size = size;
    this.changePercent = changePercent;
    long m = 7919 + Math.floorMod(seed, 1000);
    while (!BigInteger.valueOf(m).gcd(BigInteger.valueOf(size)).equals(BigInteger.ONE)) {
      m++;
    }
    this.multiplier = m; // coprime with size: index -> slot is a bijection every round
  }

  public int size() {
    return size;
  }

  public int changePercent() {
    return changePercent;
  }

  /** How many products change at each round. */
  public int changedPerRound() {
    return (int) ((long) size * changePercent / 100);
  }

  /** Whether product {@code index} got a new price and stock at {@code round} (round 0: none). */
  public boolean changedAt(int index, int round) {
    if (round <= 0) {
      return false;
    }
    long slot = Math.floorMod(index * multiplier + round * 104_729L + seed, (long) size);
    return slot < changedPerRound();
  }

  /** Product {@code index} (0 to size - 1) as round {@code round} shows it. */
  public Product product(int index, int round) {
    long id = FIRST_ID + index;
    long h = mix(seed ^ id);
    int version = 0;
    for (int r = 1; r <= round; r++) {
      if (changedAt(index, r)) {
        version++;
      }
    }
    long cents = 500 + Math.floorMod(h, 20_000) + version * 37L;
    BigDecimal wholesale = BigDecimal.valueOf(cents, 2);
    BigDecimal retail = BigDecimal.valueOf(cents * 17 / 10 + 99, 2);
    int stock = (int) Math.floorMod(h >>> 20, 200L) + version * 3;
    String name =
        ADJECTIVES[(int) Math.floorMod(h >>> 8, (long) ADJECTIVES.length)]
            + " "
            + NOUNS[(int) Math.floorMod(h >>> 12, (long) NOUNS.length)]
            + " "
            + id;
    String category = Integer.toString(2600 + (int) Math.floorMod(h >>> 16, 40L));
    return new Product(id, "SYN" + id, name, category, wholesale, retail, stock);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
