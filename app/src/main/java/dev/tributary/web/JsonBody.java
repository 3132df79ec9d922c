package dev.tributary.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one JSON body reader. Bodies are read into records, strictly: an unknown field, a value of
 * the wrong type (the string {@code "10"}, a boolean or a fraction where an integer is expected), a
 * number out of range, anything after the JSON value and a NUL character are each a 400 with a
 * message naming the field, and never reach a pipeline or PostgreSQL. A record's constructor may
 * throw {@link IllegalArgumentException} to refuse a value; its message becomes the 400's.
 */
public final class JsonBody {
  static final ObjectMapper STRICT = strictMapper();

  private JsonBody() {}

  /** The body as {@code type}; an empty body is a 400. */
  public static <T> T read(Context ctx, Class<T> type) {
    String raw = ctx.body();
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("the request needs a JSON body");
    }
    return parse(raw, type);
  }

  /** The body as {@code type}, or {@code whenEmpty} when there is no body. */
  public static <T> T readOr(Context ctx, Class<T> type, Supplier<T> whenEmpty) {
    String raw = ctx.body();
    if (raw == null || raw.isBlank()) {
      return whenEmpty.get();
    }
    return parse(raw, type);
  }

  /** A JSON object of free-form named arguments (the rpc routes), values as plain Java types. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Context ctx) {
    String raw = ctx.body();
    if (raw == null || raw.isBlank()) {
      return Map.of();
    }
    Object value = parse(raw, Object.class);
    if (!(value instanceof Map<?, ?> m)) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return (Map<String, Object>) m;
  }

  static <T> T parse(String raw, Class<T> type) {
    rejectNul(raw);
    try {
      T value = STRICT.readValue(raw, type);
      if (value == null) {
        throw ApiException.badRequest("the body must be a JSON object, not null");
      }
      return value;
    } catch (JacksonException e) {
      throw ApiException.badRequest(describe(e, type));
    }
  }

  private static void rejectNul(String raw) {
    if (raw.indexOf('\u0000') >= 0 || raw.matches("(?is).*\\\\u0000.*")) {
      throw ApiException.badRequest("the body contains a NUL character, which no field accepts");
    }
  }

  private static String describe(JacksonException e, Class<?> type) {
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return v.getCause().getMessage();
    }
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : u.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", "));
      return "unknown field '"
          + u.getPropertyName()
          + "'"
          + (known.isEmpty() ? "" : "; the fields are " + known);
    }
    String field = e instanceof JsonMappingException m ? path(m) : "";
    if (e instanceof InputCoercionException || e.getCause() instanceof InputCoercionException) {
      return (field.isEmpty() ? "a number" : field) + " is out of range";
    }
    if (e instanceof InvalidFormatException f) {
      return (field.isEmpty() ? "a value" : field)
          + " has the wrong format or type: "
          + String.valueOf(f.getValue());
    }
    if (e instanceof MismatchedInputException m) {
      if (!field.isEmpty()) {
        return field + " must be " + expected(m.getTargetType());
      }
      if (m.getTargetType() != null && m.getTargetType() != Object.class) {
        return "the body must be " + expected(m.getTargetType());
      }
    }
    String msg = e.getOriginalMessage();
    if (msg != null && msg.contains("Trailing token")) {
      return "the body has content after its JSON value";
    }
    return "the body is not valid JSON"
        + (type == Object.class ? "" : " for this request")
        + ": "
        + firstLine(msg);
  }

  private static String path(JsonMappingException m) {
    return m.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String expected(Class<?> t) {
    if (t == null) {
      return "of another type";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "a whole number";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) {
      return "an array";
    }
    return "a JSON object";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static ObjectMapper strictMapper() {
    JsonMapper m =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    for (LogicalType t :
        new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }
}
