package io.geored.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.geored.core.time.ThreadScheduler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("core keeps the dependency rules")
class ArchitectureTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.geored.core");
  }

  @Test
  @DisplayName("core depends on no adapter, no JDBC and no JSON library")
  void noAdapters() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.geored.adapters..",
            "java.sql..",
            "javax.sql..",
            "com.fasterxml..",
            "tools.jackson..",
            "com.google.gson..",
            "jakarta.json..",
            "org.json..",
            "org.eclipse.jetty..",
            "org.h2..",
            "org.postgresql..")
        .check(core);
  }

  @Test
  @DisplayName("core never reads the wall clock or sleeps (time comes from the Scheduler port)")
  void noWallClock() {
    noClasses()
        .that()
        .doNotBelongToAnyOf(ThreadScheduler.class)
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(java.time.LocalDateTime.class, "now")
        .orShould()
        .callMethod(java.time.Clock.class, "systemUTC")
        .orShould()
        .callMethod(java.time.Clock.class, "systemDefaultZone")
        .because(
            "time in core comes from the Clock of the Scheduler port, so tests run in virtual time")
        .check(core);
  }
}
