package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The body reader, by property: whatever the bytes, the answer is a record or a 400, never another
 * error; what it accepts it reads back exactly; and each kind of bad input is a 400.
 */
class JsonBodyPropertiesTest {
  /** A body with the field kinds routes take, and a range check in its constructor. */
  record Probe(String name, Integer count, Boolean flag, List<String> tags) {
    Probe {
      if (count != null && (count < 0 || count > 1000)) {
        throw new IllegalArgumentException("count must be between 0 and 1000");
      }
    }
  }

  private static void assertBadRequest(Throwable t) {
    assertThat(t).isInstanceOf(ApiException.class);
    assertThat(((ApiException) t).status()).isEqualTo(400);
    assertThat(t.getMessage()).isNotBlank();
  }

  @Property(tries = 2000)
  void any_text_is_either_read_or_refused_with_a_400(@ForAll String raw) {
    Throwable t = catchThrowable(() -> JsonBody.parse(raw, Probe.class));
    if (t != null) {
      assertBadRequest(t);
    }
  }

  @Property(tries = 1000)
  void any_json_shaped_text_is_either_read_or_refused_with_a_400(@ForAll("jsonish") String raw) {
    Throwable t = catchThrowable(() -> JsonBody.parse(raw, Probe.class));
    if (t != null) {
      assertBadRequest(t);
    }
  }

  @Property(tries = 500)
  void a_valid_body_reads_back_exactly(@ForAll("probes") Probe probe) throws Exception {
    String json = WebServer.JSON.writeValueAsString(probe);
    assertThat(JsonBody.parse(json, Probe.class)).isEqualTo(probe);
  }

  @Property(tries = 300)
  void anything_after_the_json_value_is_a_400(
      @ForAll("probes") Probe probe,
      @ForAll @AlphaChars @StringLength(min = 1, max = 5) String tail)
      throws Exception {
    String json = WebServer.JSON.writeValueAsString(probe) + " " + tail;
    assertBadRequest(catchThrowable(() -> JsonBody.parse(json, Probe.class)));
  }

  @Property(tries = 300)
  void an_unknown_field_is_a_400_that_names_it(
      @ForAll("probes") Probe probe, @ForAll @AlphaChars @StringLength(min = 1, max = 12) String f)
      throws Exception {
    String field = "x_" + f;
    ObjectNode node = WebServer.JSON.valueToTree(probe);
    node.put(field, 1);
    Throwable t = catchThrowable(() -> JsonBody.parse(node.toString(), Probe.class));
    assertBadRequest(t);
    assertThat(t.getMessage()).contains(field);
  }

  @Property(tries = 300)
  void a_nul_anywhere_in_a_string_is_a_400(
      @ForAll("probes") Probe probe,
      @ForAll @IntRange(min = 0, max = 20) int at,
      @ForAll boolean escaped) {
    String name = probe.name() == null ? "" : probe.name();
    int i = Math.min(at, name.length());
    String nul = escaped ? "\\u0000" : "\u0000";
    String json =
        "{\"name\":\""
            + jsonEscape(name.substring(0, i))
            + nul
            + jsonEscape(name.substring(i))
            + "\"}";
    assertBadRequest(catchThrowable(() -> JsonBody.parse(json, Probe.class)));
  }

  @Property(tries = 300)
  void a_count_out_of_range_or_of_the_wrong_type_is_a_400(@ForAll("badCounts") String count) {
    assertBadRequest(
        catchThrowable(() -> JsonBody.parse("{\"count\":" + count + "}", Probe.class)));
  }

  @Provide
  Arbitrary<Probe> probes() {
    Arbitrary<String> text =
        Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(40).injectNull(0.1);
    return Combinators.combine(
            text,
            Arbitraries.integers().between(0, 1000).injectNull(0.2),
            Arbitraries.of(true, false).injectNull(0.2),
            text.filter(s -> s != null).list().ofMaxSize(5).injectNull(0.2))
        .as(Probe::new);
  }

  @Provide
  Arbitrary<String> badCounts() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1001, Integer.MAX_VALUE).map(String::valueOf),
        Arbitraries.integers().between(Integer.MIN_VALUE, -1).map(String::valueOf),
        Arbitraries.strings().numeric().ofMinLength(11).ofMaxLength(400).map(s -> "9" + s),
        Arbitraries.integers().between(0, 1000).map(n -> "\"" + n + "\""),
        Arbitraries.integers().between(0, 999).map(n -> n + ".5"),
        Arbitraries.of("true", "false", "[]", "{}", "\"\"", "1e3", "NaN"));
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> token =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"name\"",
            "\"count\"",
            "\"tags\"",
            "\"flag\"",
            "1",
            "-0",
            "1e999",
            "99999999999999999999",
            "true",
            "null",
            "\"x\"",
            "\"\\u0000\"",
            " ",
            "\"\\ud800\"",
            "/*",
            "'",
            "\\");
    return token.list().ofMaxSize(30).map(l -> String.join("", l));
  }

  private static String jsonEscape(String s) {
    try {
      String quoted = WebServer.JSON.writeValueAsString(s);
      return quoted.substring(1, quoted.length() - 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
