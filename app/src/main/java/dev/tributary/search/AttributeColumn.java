package dev.tributary.search;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One filterable attribute of a {@link VectorSpace}: a code per slot (0 = absent) and the
 * dictionary of its values.
 */
final class AttributeColumn {
  private final Map<String, Integer> dictionary = new HashMap<>();
  private int[] codes = new int[0];

  void ensure(int capacity) {
    if (codes.length < capacity) {
      codes = Arrays.copyOf(codes, capacity);
    }
  }

  void set(int slot, String value) {
    if (slot >= codes.length) {
      codes = Arrays.copyOf(codes, Math.max(slot + 1, codes.length * 2));
    }
    codes[slot] = value == null ? 0 : dictionary.computeIfAbsent(value, v -> dictionary.size() + 1);
  }

  /** Clears from {@code mask} every slot whose value differs; false when the value is unknown. */
  boolean restrict(long[] mask, String value, int slots) {
    Integer code = dictionary.get(value);
    if (code == null) {
      return false;
    }
    for (int slot = 0; slot < slots; slot++) {
      if (slot >= codes.length || codes[slot] != code) {
        mask[slot >>> 6] &= ~(1L << slot);
      }
    }
    return true;
  }
}
