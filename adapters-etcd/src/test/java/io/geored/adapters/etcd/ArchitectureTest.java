package io.geored.adapters.etcd;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the etcd adapter keeps the dependency rules")
class ArchitectureTest {

  @Test
  @DisplayName("it depends on spi and jetcd only: never on core, the testkit or another adapter")
  void spiOnly() {
    JavaClasses adapter =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.geored.adapters.etcd");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.geored.core..",
            "io.geored.testkit..",
            "io.geored.adapters.jdbc..",
            "io.geored.adapters.http..",
            "io.geored.adapters.micrometer..")
        .check(adapter);
  }
}
