package dev.tributary.bench;

import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.sandbox.SupplierSandbox;
import dev.tributary.sandbox.SyntheticCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/** The suppliers bench's floor: what the BigBuy sandbox alone costs on this machine. */
final class SandboxFloor {
  private SandboxFloor() {}

  /**
   * What the sandbox alone costs: every page of the four endpoints fetched over HTTP and dropped
   * unread, one endpoint after the other; no sync can run faster from it on this machine.
   */
  static void measure(SyntheticCatalogue catalogue, int pageSize, String key) throws Exception {
    try (SupplierSandbox sandbox = SupplierSandbox.start(catalogue, key);
        HttpClient http = HttpClient.newHttpClient()) {
      long t0 = System.nanoTime();
      long bytes = 0;
      for (String endpoint :
          List.of(
              BigBuyClient.PRODUCTS,
              BigBuyClient.INFORMATION,
              BigBuyClient.PRICES,
              BigBuyClient.STOCK)) {
        for (int page = 0; (long) page * pageSize < catalogue.size(); page++) {
          HttpRequest request =
              HttpRequest.newBuilder(
                      URI.create(
                          sandbox.baseUrl()
                              + "/rest/catalog/"
                              + endpoint
                              + ".json?page="
                              + page
                              + "&pageSize="
                              + pageSize))
                  .header("Authorization", "Bearer " + key)
                  .build();
          bytes += http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "suppliers: the sandbox alone serves the %d products' four endpoints (%d MB) in %.2f s"
              + " (%.0f products/s, fetched one after the other and not parsed)%n",
          catalogue.size(),
          bytes >> 20,
          seconds,
          catalogue.size() / seconds);
    }
  }
}
