package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** What goes to Cloud Run holds no test double: the extractor jar as built, opened. */
class ProductionJarsTest {
  @Test
  void theExtractorJarCarriesNoSimulatorNoBenchmarkAndNoHttpServer() throws Exception {
    Path jar = Path.of(System.getProperty("extractor.jar", "../extractor/target/extractor.jar"));
    try (JarFile j = new JarFile(jar.toFile())) {
      List<String> classes =
          j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
      assertThat(classes)
          .as("the extractor's own classes are there")
          .anyMatch(n -> n.startsWith("dev/listening/extractor/"));
      assertThat(classes)
          .as("no simulator, benchmark or embedded HTTP server in the production jar")
          .noneMatch(n -> n.startsWith("dev/listening/simulator/"))
          .noneMatch(n -> n.startsWith("dev/listening/local/"))
          .noneMatch(n -> n.startsWith("org/eclipse/jetty/"));
    }
  }
}
