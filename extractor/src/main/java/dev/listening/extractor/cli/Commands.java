package dev.listening.extractor.cli;

import picocli.CommandLine;

/** The jar's subcommands; registered here so their classes can stay package-private. */
public final class Commands {
  private Commands() {}

  public static CommandLine register(CommandLine root) {
    root.addSubcommand(new RecentlyPlayedCommand());
    root.addSubcommand(new LookupsCommand());
    root.addSubcommand(new NewReleasesCommand());
    root.addSubcommand(new PlaylistItemsCommand());
    root.addSubcommand(new dev.listening.extractor.simulator.SimulatorCommand());
    root.addSubcommand(new dev.listening.extractor.benchmark.BenchmarkCommand());
    root.addSubcommand(new CommandLine.HelpCommand());
    return root;
  }
}
