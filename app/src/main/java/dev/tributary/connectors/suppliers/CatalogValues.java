package dev.tributary.connectors.suppliers;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Reading vendor values that arrive in more than one shape: amounts as JSON numbers or strings
 * ({@code 18.22}, {@code "18.22"}, {@code "18,22"}), ids as numbers or strings. A value that is
 * there but unreadable is an {@link IllegalArgumentException} naming the field, so the caller
 * counts the item as failed with that reason.
 */
public final class CatalogValues {
  /** {@code numeric(12, 2)} in imported_products. */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

  private CatalogValues() {}

  /** Null when absent or JSON null. */
  public static BigDecimal amount(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    BigDecimal d;
    if (v.isNumber()) {
      d = v.decimalValue();
    } else if (v.isTextual()) {
      String t = v.asText().strip().replace(',', '.');
      if (t.isEmpty()) {
        return null;
      }
      try {
        d = new BigDecimal(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + " is not a number: '" + cut(v.asText()) + "'");
      }
    } else {
      throw new IllegalArgumentException(field + " is not a number");
    }
    if (d.signum() < 0) {
      throw new IllegalArgumentException(field + " is negative: " + d.toPlainString());
    }
    if (d.compareTo(MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException(field + " is too large: " + d.toPlainString());
    }
    return d.setScale(2, RoundingMode.HALF_UP);
  }

  /** A count (stock); null when absent; negative counts are refused. */
  public static Integer count(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    long n;
    if (v.isIntegralNumber()) {
      n = v.asLong();
    } else if (v.isTextual() && v.asText().strip().matches("-?\\d{1,12}")) {
      n = Long.parseLong(v.asText().strip());
    } else {
      throw new IllegalArgumentException(field + " is not a whole number");
    }
    if (n < 0) {
      throw new IllegalArgumentException(field + " is negative: " + n);
    }
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  /** An id as text, from a number or a string; null when absent or blank. */
  public static String id(JsonNode item, String... fields) {
    for (String field : fields) {
      JsonNode v = item.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isIntegralNumber() || (v.isTextual() && !v.asText().isBlank())) {
        String s = v.asText().strip();
        if (s.length() > 100 || hasControl(s)) {
          throw new IllegalArgumentException(field + " is not a usable id");
        }
        return s;
      }
      throw new IllegalArgumentException(field + " is not an id");
    }
    return null;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 32) {
        return true;
      }
    }
    return false;
  }

  /** Text or null; numbers are read as their text. */
  public static String text(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText().strip().replace("\u0000", "");
    return s.isEmpty() ? null : s;
  }

  /** 1/0, true/false or "1"/"0"; null when absent. */
  public static Boolean flag(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String s = v.asText().strip();
    return !(s.equals("0") || s.equalsIgnoreCase("false") || s.isEmpty());
  }

  public static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
