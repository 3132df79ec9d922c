package dev.tributary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the design (shared design.md, "Dependency rules"), held here so that a
 * change that breaks one fails the build instead of waiting for a review.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // the engine's test-jar (shared test support) is test code too
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.tributary");

  private static final String[] APP = {
    "dev.tributary.ai..",
    "dev.tributary.cli..",
    "dev.tributary.config..",
    "dev.tributary.connectors..",
    "dev.tributary.db..",
    "dev.tributary.demo..",
    "dev.tributary.node..",
    "dev.tributary.pipelines..",
    "dev.tributary.sandbox..",
    "dev.tributary.search..",
    "dev.tributary.web..",
    "dev.tributary.workers.."
  };

  @Test
  void the_engine_depends_on_nothing_of_the_app() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tributary.engine..", "dev.tributary.jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(APP)
        .check(MAIN);
  }

  @Test
  void nothing_outside_the_engine_uses_its_internals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tributary.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.tributary.engine.internal..")
        .check(MAIN);
  }

  @Test
  void connectors_never_depend_on_ai_pipelines_or_web() {
    noClasses()
        .that()
        .resideInAPackage("dev.tributary.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tributary.ai..",
            "dev.tributary.pipelines..",
            "dev.tributary.web..",
            "dev.tributary.cli..",
            "dev.tributary.node..")
        .check(MAIN);
  }

  @Test
  void ai_never_depends_on_pipelines_or_web() {
    noClasses()
        .that()
        .resideInAPackage("dev.tributary.ai..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tributary.pipelines..",
            "dev.tributary.web..",
            "dev.tributary.cli..",
            "dev.tributary.node..")
        .check(MAIN);
  }

  @Test
  void pipelines_and_search_never_depend_on_web_or_cli() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tributary.pipelines..", "dev.tributary.search..", "dev.tributary.workers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tributary.web..", "dev.tributary.cli..", "dev.tributary.node..", "io.javalin..")
        .check(MAIN);
  }

  @Test
  void only_the_composition_root_and_its_callers_know_the_node() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.tributary.node..", "dev.tributary.cli..", "dev.tributary.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.tributary.node..")
        .check(MAIN);
  }

  @Test
  void web_is_the_only_http_layer() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.tributary.web..", "dev.tributary.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.javalin..")
        .check(MAIN);
  }

  /**
   * Every package of the app is its own slice. The engine counts as one: its public API and its
   * {@code internal} package refer to each other by design (the builder wires internal runners,
   * which run the API's handlers), and nothing outside it sees {@code internal}.
   */
  @Test
  void there_are_no_cycles_between_packages() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("dev.tributary.")) {
                  return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(
                    p.startsWith("dev.tributary.engine") ? "engine" : p.substring(14));
              }

              @Override
              public String getDescription() {
                return "app packages, the engine as one";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(MAIN);
  }
}
