package dev.tributary.jdbc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values for named parameters: {@code Params.of("queue", q, "limit", n)} or {@code
 * Params.with("queue", q).and("limit", n)}. Nulls are allowed (the SQL casts them where the type
 * matters: {@code :retry_at::timestamptz IS NULL}).
 */
public final class Params {
  public static final Params NONE = new Params();

  private final Map<String, Object> values = new LinkedHashMap<>();

  private Params() {}

  public static Params with(String name, Object value) {
    return new Params().and(name, value);
  }

  public static Params of(Map<String, ?> values) {
    Params p = new Params();
    values.forEach(p::and);
    return p;
  }

  public static Params of(String name, Object value) {
    return with(name, value);
  }

  public static Params of(String n1, Object v1, String n2, Object v2) {
    return with(n1, v1).and(n2, v2);
  }

  public static Params of(String n1, Object v1, String n2, Object v2, String n3, Object v3) {
    return with(n1, v1).and(n2, v2).and(n3, v3);
  }

  public static Params of(
      String n1, Object v1, String n2, Object v2, String n3, Object v3, String n4, Object v4) {
    return with(n1, v1).and(n2, v2).and(n3, v3).and(n4, v4);
  }

  /** Adds (or replaces) a value; returns this. */
  public Params and(String name, Object value) {
    if (this == NONE) {
      return new Params().and(name, value);
    }
    values.put(name, value);
    return this;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Object get(String name) {
    return values.get(name);
  }

  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return values.keySet().toString();
  }
}
