package io.geored.adapters.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the Micrometer adapter keeps the dependency rules")
class ArchitectureTest {

  private static JavaClasses adapter;

  @BeforeAll
  static void importAdapter() {
    adapter =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.geored.adapters.micrometer");
  }

  @Test
  @DisplayName(
      "it depends on spi and Micrometer only: never on core, the testkit or another adapter")
  void spiOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.geored.core..",
            "io.geored.testkit..",
            "io.geored.adapters.jdbc..",
            "io.geored.adapters.http..",
            "org.slf4j..")
        .check(adapter);
  }
}
