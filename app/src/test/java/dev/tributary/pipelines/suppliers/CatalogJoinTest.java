package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogJoinTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static StagedItem item(String id, String name, String price, Integer stock) {
    CatalogItem it = CatalogItem.id(id).withText(name, null, null);
    if (price != null) {
      it = it.withPrices(new BigDecimal(price), null, "EUR");
    }
    return StagedItem.of(stock == null ? it : it.withStock(stock));
  }

  static CatalogJoin.Joined only(CatalogJoin join) {
    List<CatalogJoin.Joined> all = new ArrayList<>();
    join.products().forEach(all::add);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void a_value_from_a_stream_that_adds_fields_wins_over_the_listing_streams_whatever_the_order() {
    for (boolean listingFirst : new boolean[] {true, false}) {
      CatalogJoin join = new CatalogJoin();
      StagedItem listed = item("7", "Listed name", "10.00", 3);
      StagedItem added = item("7", "Added name", "9.00", null);
      if (listingFirst) {
        join.add(true, List.of(listed));
        join.add(false, List.of(added));
      } else {
        join.add(false, List.of(added));
        join.add(true, List.of(listed));
      }
      CatalogJoin.Joined j = only(join);
      assertThat(j.name).isEqualTo("Added name");
      assertThat(j.price).isEqualByComparingTo("9.00");
      assertThat(j.stockQuantity).isEqualTo(3); // only the listing stream said it
      assertThat(j.inCatalogue).isTrue();
      assertThat(join.listed("7")).isTrue();
    }
  }

  @Test
  void between_two_streams_of_the_same_kind_the_larger_value_wins_so_the_order_does_not_matter() {
    CatalogJoin a = new CatalogJoin();
    a.add(false, List.of(item("1", "B", "5.00", 1)));
    a.add(false, List.of(item("1", "A", "6.00", 2)));
    CatalogJoin b = new CatalogJoin();
    b.add(false, List.of(item("1", "A", "6.00", 2)));
    b.add(false, List.of(item("1", "B", "5.00", 1)));
    for (CatalogJoin join : List.of(a, b)) {
      CatalogJoin.Joined j = only(join);
      assertThat(j.name).isEqualTo("B");
      assertThat(j.price).isEqualByComparingTo("6.00");
      assertThat(j.stockQuantity).isEqualTo(2);
      assertThat(j.inCatalogue).isFalse();
      assertThat(join.listed("1")).isFalse();
    }
  }

  @Test
  void attributes_of_several_streams_are_merged_and_one_stream_saying_inactive_is_enough()
      throws Exception {
    Map<String, Object> listed = new LinkedHashMap<>();
    listed.put("ean13", "841");
    listed.put("condition", "NEW");
    CatalogJoin join = new CatalogJoin();
    join.add(
        true, List.of(StagedItem.of(CatalogItem.id("9").withAttributes(listed).withActive(true))));
    join.add(
        false,
        List.of(
            StagedItem.of(
                CatalogItem.id("9")
                    .withAttributes(Map.of("condition", "USED"))
                    .withActive(false))));
    CatalogJoin.Joined j = only(join);
    assertThat(JSON.readValue(j.attributesJson, Map.class))
        .isEqualTo(Map.of("ean13", "841", "condition", "USED"));
    assertThat(j.active).isFalse();
  }
}
