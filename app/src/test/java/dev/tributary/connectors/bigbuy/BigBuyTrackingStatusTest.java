package dev.tributary.connectors.bigbuy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which carrier texts mean the parcel arrived. */
class BigBuyTrackingStatusTest {
  @Test
  void delivered_means_the_word_delivered_on_its_own_and_nothing_that_only_mentions_delivery() {
    for (String arrived :
        new String[] {
          "Delivered",
          "DELIVERED",
          "Delivered to recipient",
          "Parcel delivered.",
          "Entregado",
          "Colis livré",
          "Zugestellt"
        }) {
      assertThat(BigBuyItems.delivered(arrived)).as(arrived).isTrue();
    }
    for (String notYet :
        new String[] {
          "Undelivered",
          "undelivered - recipient absent",
          "Undeliverable address",
          "Not delivered",
          "Out for delivery",
          "Delivery attempt failed",
          "Attempted delivery",
          "Delivery exception",
          "Failed delivery, returned to sender",
          "In transit",
          "Awaiting delivery",
          "Delivery rescheduled",
          "",
          null
        }) {
      assertThat(BigBuyItems.delivered(notYet)).as(String.valueOf(notYet)).isFalse();
    }
  }
}
