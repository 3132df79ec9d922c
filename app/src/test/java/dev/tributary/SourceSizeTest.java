package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The size rule of the house style: no main class over 400 lines, no method over 80. A method is
 * counted from its signature's last line to its closing brace.
 */
class SourceSizeTest {
  static final int MAX_CLASS_LINES = 400;
  static final int MAX_METHOD_LINES = 80;

  private static final List<Path> ROOTS =
      List.of(
          Path.of("src/main/java"),
          Path.of("../engine/src/main/java"),
          Path.of("../jdbc/src/main/java"),
          Path.of("../bench/src/main/java"));

  // a line that ends a method or constructor signature: "...) {" or "...) throws X {", not a
  // control statement, lambda or anonymous class
  private static final Pattern SIGNATURE_END =
      Pattern.compile("^\\s+[^=]*\\)\\s*(throws [\\w.,\\s]+)?\\{\\s*$");
  private static final Pattern CONTROL =
      Pattern.compile("^\\s*(\\}\\s*)?(if|for|while|switch|catch|try|synchronized|else|do)\\b.*");

  @Test
  void no_main_class_is_over_400_lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path f : sources()) {
      int lines = Files.readAllLines(f).size();
      if (lines > MAX_CLASS_LINES) {
        tooLong.add(f + " (" + lines + " lines)");
      }
    }
    assertThat(tooLong).isEmpty();
  }

  @Test
  void no_method_is_over_80_lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path f : sources()) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i);
        if (!SIGNATURE_END.matcher(l).matches()
            || CONTROL.matcher(l).matches()
            || l.contains("->")
            || l.contains(" new ")
            || declaresType(lines, i)) {
          continue;
        }
        int end = closingLine(lines, i);
        if (end - i > MAX_METHOD_LINES) {
          tooLong.add(f + ":" + (i + 1) + " (" + (end - i) + " lines)");
        }
        i = end;
      }
    }
    assertThat(tooLong).isEmpty();
  }

  /**
   * Whether the declaration ending at line {@code end} is a type (a record's header), not a method.
   */
  private static boolean declaresType(List<String> lines, int end) {
    StringBuilder decl = new StringBuilder(lines.get(end));
    for (int i = end - 1; i >= 0 && end - i < 30; i--) {
      String l = lines.get(i).strip();
      if (l.isEmpty()
          || l.endsWith(";")
          || l.endsWith("{")
          || l.endsWith("}")
          || l.endsWith("*/")) {
        break;
      }
      decl.insert(0, l + " ");
    }
    return TYPE.matcher(decl).find();
  }

  private static final Pattern TYPE = Pattern.compile("\\b(record|class|interface|enum)\\s+\\w+");

  /** The line of the brace that closes the one opened at the end of line {@code start}. */
  private static int closingLine(List<String> lines, int start) {
    int depth = 0;
    boolean textBlock = false;
    for (int i = start; i < lines.size(); i++) {
      String l = lines.get(i);
      int quotes = countOf(l, "\"\"\"");
      if (textBlock || quotes > 0) {
        if (quotes % 2 == 1) {
          textBlock = !textBlock;
        }
        continue; // a text block's lines hold SQL or JSON, never the method's braces
      }
      String code =
          l.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'])'", "''");
      int comment = code.indexOf("//");
      if (comment >= 0) {
        code = code.substring(0, comment);
      }
      for (char c : code.toCharArray()) {
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
      }
    }
    return lines.size() - 1;
  }

  private static int countOf(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  private static List<Path> sources() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path root : ROOTS) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
        }
      }
    }
    return out;
  }
}
