package io.geored.adapters.keystone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the Keystone adapter keeps the dependency rules")
class ArchitectureTest {

  private static JavaClasses adapter;

  @BeforeAll
  static void importAdapter() {
    adapter =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.geored.adapters.keystone");
  }

  @Test
  @DisplayName(
      "it depends on spi and the HTTP adapter's public API only: never on core, the testkit,"
          + " another adapter or the HTTP adapter's internals")
  void spiAndHttpOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.geored.core..",
            "io.geored.testkit..",
            "io.geored.adapters.jdbc..",
            "io.geored.adapters.micrometer..",
            "io.geored.adapters.http.internal..")
        .check(adapter);
  }
}
