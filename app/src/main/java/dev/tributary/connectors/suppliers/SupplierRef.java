package dev.tributary.connectors.suppliers;

import java.util.List;
import java.util.Map;

/**
 * What a connector needs to know of a supplier row: its settings (never keys: those come from the
 * environment) and its search keywords.
 */
public record SupplierRef(String id, Map<String, String> settings, List<String> searchKeywords) {
  public SupplierRef {
    settings = Map.copyOf(settings);
    searchKeywords = List.copyOf(searchKeywords);
  }

  public String setting(String name, String otherwise) {
    String v = settings.get(name);
    return v == null || v.isBlank() ? otherwise : v;
  }
}
