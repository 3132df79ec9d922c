package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table and the settings agree: every variable the code reads is one row
 * with its default, and no row names a variable the code does not read.
 */
class ConfigurationDocsTest {
  private static final Path ROOT =
      Files.exists(Path.of("README.md")) ? Path.of(".") : Path.of("..");

  private record Row(String name, String defaultCell) {}

  private static List<Row> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    int start = lines.indexOf("## Configuration");
    assertThat(start).as("README section ## Configuration").isNotNegative();
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        rows.add(new Row(cells[1].strip().replace("`", ""), cells[2].strip()));
      }
    }
    return rows;
  }

  private static List<Variable> documented() {
    return Stream.concat(
            TributaryConfig.VARIABLES.stream(), TributaryConfig.LAUNCHER_VARIABLES.stream())
        .toList();
  }

  @Test
  void every_variable_is_one_row_of_the_readme_table_with_its_default() throws IOException {
    List<Row> rows = readmeRows();
    for (Variable v : documented()) {
      assertThat(rows.stream().filter(r -> r.name().equals(v.name())))
          .as("rows of %s in the README's configuration table", v.name())
          .containsExactly(new Row(v.name(), v.documentedDefault()));
    }
  }

  @Test
  void the_readme_table_lists_no_variable_the_code_does_not_read() throws IOException {
    Set<String> read = documented().stream().map(Variable::name).collect(Collectors.toSet());
    assertThat(readmeRows()).extracting(Row::name).allMatch(read::contains, "read by the code");
  }

  @Test
  void the_settings_read_exactly_the_registered_variables() {
    Set<String> asked = new LinkedHashSet<>();
    Map<String, String> recording =
        new HashMap<>() {
          @Override
          public String get(Object key) {
            asked.add((String) key);
            return super.get(key);
          }
        };
    TributaryConfig.from(recording);
    assertThat(asked)
        .containsExactlyInAnyOrderElementsOf(
            TributaryConfig.VARIABLES.stream().map(Variable::name).toList());
    assertThat(TributaryConfig.VARIABLES).extracting(Variable::name).doesNotHaveDuplicates();
  }

  @Test
  void only_the_config_package_reads_the_environment() throws IOException {
    List<Path> readers = new ArrayList<>();
    for (Path src :
        List.of(ROOT.resolve("app/src/main/java"), ROOT.resolve("bench/src/main/java"))) {
      try (Stream<Path> files = Files.walk(src)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .filter(f -> !f.toString().contains("/dev/tributary/config/"))
            .filter(f -> read(f).contains("getenv("))
            .forEach(readers::add);
      }
    }
    assertThat(readers).isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
