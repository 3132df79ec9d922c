package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagedItemTest {
  @Test
  void a_page_survives_its_bytes_with_nulls_unicode_long_text_and_large_amounts() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("quote\"and\\slash", "line\nbreak\ttab \u0001 é 漢");
    attributes.put("count", 12);
    attributes.put("flag", true);
    CatalogItem full =
        CatalogItem.id("1001")
            .withSku("SKU-1")
            .withText("Lámpara 漢字 🙂", "x".repeat(70_000), "2609")
            .withPrices(new BigDecimal("9999999999.99"), new BigDecimal("0.05"), "EUR")
            .withStock(0)
            .withImages(List.of("https://img/1.jpg", "https://img/2.jpg"))
            .withAttributes(attributes)
            .withActive(false);
    CatalogItem bare = CatalogItem.id("1002");
    List<StagedItem> page = StagedItem.of(List.of(full, bare));
    assertThat(StagedItem.decode(StagedItem.encode(page))).isEqualTo(page);
    assertThat(StagedItem.decode(StagedItem.encode(List.of()))).isEmpty();
  }

  @Test
  void attributes_are_written_as_the_json_jackson_reads_back() throws Exception {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("name", "a \"quoted\" \\ value\r\n\u001f");
    attributes.put("n", 42);
    attributes.put("nested", Map.of("k", List.of(1, 2))); // not flat: written by Jackson
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readValue(StagedItem.attributesJson(attributes), Map.class))
        .isEqualTo(attributes);
    attributes.remove("nested");
    assertThat(json.readValue(StagedItem.attributesJson(attributes), Map.class))
        .isEqualTo(Map.of("name", "a \"quoted\" \\ value\r\n\u001f", "n", 42));
  }
}
