package dev.tributary.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL with named parameters ({@code :name}) translated to JDBC's positional {@code ?}, once per
 * distinct text (cached). The scanner leaves alone what is not a parameter: casts ({@code ::int}),
 * string literals ({@code ':x'}, {@code E'…'}), quoted identifiers, dollar-quoted bodies, comments,
 * and a colon not followed by a letter (array slices are written {@code a[1 : n]} or {@code
 * a[1:2]}). A name may repeat; each occurrence becomes its own {@code ?}. A bare {@code ?} is
 * refused (write {@code ??} for the jsonb operator).
 *
 * @param sql the text to prepare, with {@code ?} in place of each parameter
 * @param names the parameter name of each {@code ?}, in order
 */
public record NamedSql(String sql, List<String> names) {
  private static final int CACHE_LIMIT = 2_000;
  private static final Map<String, NamedSql> CACHE = new ConcurrentHashMap<>();

  public NamedSql {
    names = List.copyOf(names);
  }

  /** The translation of {@code text}, from the cache when it was seen before. */
  public static NamedSql of(String text) {
    NamedSql hit = CACHE.get(text);
    if (hit != null) {
      return hit;
    }
    NamedSql parsed = parse(text);
    if (CACHE.size() < CACHE_LIMIT) {
      CACHE.put(text, parsed);
    }
    return parsed;
  }

  /** Translates without the cache. */
  public static NamedSql parse(String text) {
    StringBuilder out = new StringBuilder(text.length());
    List<String> names = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char ch = text.charAt(i);
      if (ch == '\'' || ch == '"') {
        int end = skipQuoted(text, i, ch);
        out.append(text, i, end);
        i = end;
      } else if (ch == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(text, i, end);
        i = end;
      } else if (ch == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(text, i, end);
        i = end;
      } else if (ch == '$' && dollarTag(text, i) != null) {
        String tag = dollarTag(text, i);
        int close = text.indexOf(tag, i + tag.length());
        int end = close < 0 ? n : close + tag.length();
        out.append(text, i, end);
        i = end;
      } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (ch == ':' && i + 1 < n && isNameStart(text.charAt(i + 1))) {
        int end = i + 1;
        while (end < n && isNamePart(text.charAt(end))) {
          end++;
        }
        names.add(text.substring(i + 1, end));
        out.append('?');
        i = end;
      } else if (ch == '?') {
        if (i + 1 < n && text.charAt(i + 1) == '?') {
          out.append("??");
          i += 2;
        } else {
          throw new IllegalArgumentException(
              "positional '?' at offset "
                  + i
                  + " in SQL with named parameters: use :name (or ?? for the jsonb operator)");
        }
      } else {
        out.append(ch);
        i++;
      }
    }
    return new NamedSql(out.toString(), names);
  }

  private static int skipQuoted(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      if (text.charAt(i) == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2; // doubled quote: an escaped quote inside the literal
          continue;
        }
        return i + 1;
      }
      if (text.charAt(i) == '\\' && quote == '\'' && isEscapeString(text, start)) {
        i += 2;
        continue;
      }
      i++;
    }
    return text.length();
  }

  private static boolean isEscapeString(String text, int quoteAt) {
    return quoteAt > 0 && (text.charAt(quoteAt - 1) == 'E' || text.charAt(quoteAt - 1) == 'e');
  }

  /** The dollar-quote opening at {@code i} ({@code $$} or {@code $tag$}), or null. */
  private static String dollarTag(String text, int i) {
    if (i > 0 && isNamePart(text.charAt(i - 1))) {
      return null; // part of an identifier such as a$b
    }
    int j = i + 1;
    while (j < text.length()
        && isNamePart(text.charAt(j))
        && !Character.isDigit(text.charAt(i + 1))) {
      j++;
    }
    if (j < text.length() && text.charAt(j) == '$') {
      return text.substring(i, j + 1);
    }
    return null;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
