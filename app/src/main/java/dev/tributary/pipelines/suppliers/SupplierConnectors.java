package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.suppliers.SupplierConnector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The connectors this node has keys for, by {@code suppliers.provider}. A provider without its key
 * is absent: its jobs fail with a message naming the variable, the others run.
 */
public final class SupplierConnectors {
  private final Map<String, SupplierConnector> byProvider = new LinkedHashMap<>();
  private final Map<String, String> missingKey = new LinkedHashMap<>();

  public SupplierConnectors add(SupplierConnector connector) {
    byProvider.put(connector.provider(), connector);
    return this;
  }

  /** Records that {@code provider} is off because {@code variable} is not set. */
  public SupplierConnectors off(String provider, String variable) {
    missingKey.put(provider, variable);
    return this;
  }

  public Optional<SupplierConnector> get(String provider) {
    return Optional.ofNullable(byProvider.get(provider));
  }

  String whyMissing(String provider) {
    String variable = missingKey.get(provider);
    return variable == null
        ? "no connector serves provider '" + provider + "'"
        : "the " + provider + " connector is off on this node: set " + variable;
  }

  public Map<String, SupplierConnector> all() {
    return Map.copyOf(byProvider);
  }
}
