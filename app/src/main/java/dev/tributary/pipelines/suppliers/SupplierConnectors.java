package dev.tributary.pipelines.suppliers;

import dev.tributary.config.StartupException;
import dev.tributary.config.SupplierSettings;
import dev.tributary.connectors.aliexpress.AliExpressClient;
import dev.tributary.connectors.aliexpress.AliExpressConfig;
import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.connectors.bigbuy.BigBuyConfig;
import dev.tributary.connectors.suppliers.SupplierConnector;
import dev.tributary.jdbc.Jdbc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The connectors this node has keys for, by {@code suppliers.provider}. A provider without its key
 * is absent: its jobs fail with a message naming the variable, the others run.
 */
public final class SupplierConnectors {
  private final Map<String, SupplierConnector> byProvider = new LinkedHashMap<>();
  private final Map<String, String> missingKey = new LinkedHashMap<>();

  /** The connectors whose keys are set; the others are off, named by their variable. */
  public static SupplierConnectors from(SupplierSettings s, DataSource ds, Clock clock) {
    SupplierConnectors c = new SupplierConnectors();
    try {
      if (s.bigbuyApiKey().isPresent()) {
        c.add(
            new BigBuyClient(
                BigBuyConfig.of(
                    s.bigbuyApiKey().get(), s.bigbuyBaseUrl(), s.bigbuyPageSize(), clock),
                new PostgresEndpointQuota(new Jdbc(ds), BigBuyClient.PROVIDER)));
      } else {
        c.off(BigBuyClient.PROVIDER, "BIGBUY_API_KEY");
      }
      if (s.aliexpressApiKey().isPresent()) {
        c.add(
            new AliExpressClient(
                AliExpressConfig.of(
                    s.aliexpressApiKey().get(),
                    s.aliexpressApiSecret().orElseThrow(),
                    s.aliexpressBaseUrl(),
                    s.aliexpressSignMethod(),
                    clock)));
      } else {
        c.off(AliExpressClient.PROVIDER, "ALIEXPRESS_API_KEY");
      }
    } catch (IllegalArgumentException e) {
      throw new StartupException("supplier connectors: " + e.getMessage());
    }
    return c;
  }

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
