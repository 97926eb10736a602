package io.geored.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary folders a figure makes, removed when it is done. */
final class Cleanup {

  private Cleanup() {}

  /** A new temporary folder, deleted (with what it holds) when {@code owned} is cleaned up. */
  static Path tempFolder(String prefix, List<AutoCloseable> owned) {
    try {
      Path folder = Files.createTempDirectory(prefix);
      owned.add(() -> delete(folder));
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("cleanup failed: " + e);
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
