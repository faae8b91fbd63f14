package dev.listening.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the production jars this machine runs as processes are (built by ./run.sh). */
public final class Jars {
  @Option(
      names = "--extractor-jar",
      defaultValue = "extractor/target/extractor.jar",
      description = "The extractor fat jar (default: ${DEFAULT-VALUE}).")
  public Path extractor;

  @Option(
      names = "--simulator-jar",
      defaultValue = "simulator/target/simulator.jar",
      description = "The simulator jar (default: ${DEFAULT-VALUE}).")
  public Path simulator;

  /** A message naming the jars that are missing, or null when both are there. */
  public String missing() {
    for (Path jar : List.of(extractor, simulator)) {
      if (!Files.isRegularFile(jar)) {
        return jar + " is missing: build it first (./run.sh does)";
      }
    }
    return null;
  }

  /** The options that pass these jars on to another command of this module. */
  public List<String> asArgs() {
    return List.of(
        "--extractor-jar", extractor.toString(), "--simulator-jar", simulator.toString());
  }
}
