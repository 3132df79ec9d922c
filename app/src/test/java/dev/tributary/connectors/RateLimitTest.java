package dev.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  void plan_limits_are_read_in_the_usual_units() {
    assertThat(RateLimit.parse("60/min")).contains(new RateLimit(60, Duration.ofMinutes(1)));
    assertThat(RateLimit.parse(" 5 / s ")).contains(new RateLimit(5, Duration.ofSeconds(1)));
    assertThat(RateLimit.parse("1000/hour")).contains(new RateLimit(1000, Duration.ofHours(1)));
    assertThat(RateLimit.parse("100/10s")).contains(new RateLimit(100, Duration.ofSeconds(10)));
    assertThat(RateLimit.parse("off")).isEmpty();
  }

  @Test
  void nonsense_is_refused_with_the_accepted_forms() {
    for (String bad : new String[] {"", "60", "0/min", "60/fortnight", "-1/s", "60/0s"}) {
      assertThatThrownBy(() -> RateLimit.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> RateLimit.parse("sixty")).hasMessageContaining("60/min");
  }

  @Test
  void the_linkedin_connector_defaults_to_sixty_a_minute_and_names_the_variable_when_it_is_wrong() {
    TributaryConfig unset = TributaryConfig.from(Map.of("RAPIDAPI_KEY", "k"));
    assertThat(LinkedInClientConfig.from(unset.linkedin()).rateLimit())
        .contains(new RateLimit(60, Duration.ofMinutes(1)));
    assertThat(
            LinkedInClientConfig.from(
                    TributaryConfig.from(Map.of("RAPIDAPI_KEY", "k", "RAPIDAPI_RATE_LIMIT", "off"))
                        .linkedin())
                .rateLimit())
        .isEmpty();
    assertThat(
            LinkedInClientConfig.from(
                    TributaryConfig.from(
                            Map.of("RAPIDAPI_KEY", "k", "RAPIDAPI_RATE_LIMIT", "300/min"))
                        .linkedin())
                .rateLimit())
        .contains(new RateLimit(300, Duration.ofMinutes(1)));
    assertThatThrownBy(
            () ->
                LinkedInClientConfig.from(
                    TributaryConfig.from(Map.of("RAPIDAPI_KEY", "k", "RAPIDAPI_RATE_LIMIT", "lots"))
                        .linkedin()))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("RAPIDAPI_RATE_LIMIT");
  }
}
