package dev.listening.simulator;

/**
 * Everything generated from a config, without a server: users, catalog and the day's plays. Tests
 * of generation use this directly; {@link SpotifySimulator} serves it.
 */
final class SimWorld {
  final SimulatorConfig config;
  final Population population;
  final Catalog catalog;
  final GroundTruth truth;

  private SimWorld(SimulatorConfig config) {
    this.config = config;
    this.population = Population.generate(config);
    this.catalog =
        Catalog.generate(config, population.playlistOwners, population.playlistOwnerHasLocalFiles);
    this.truth = PlayGenerator.generate(config, catalog, population);
  }

  static SimWorld generate(SimulatorConfig config) {
    return new SimWorld(config);
  }
}
