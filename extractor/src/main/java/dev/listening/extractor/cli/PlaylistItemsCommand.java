package dev.listening.extractor.cli;

import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.PlaylistItemsRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "playlist-items",
    mixinStandardHelpOptions = true,
    description = {
      "Lands every page of the given playlists, each read with its owner's token (Spotify"
          + " serves playlist contents only to owners and collaborators since 2026)."
    })
final class PlaylistItemsCommand implements Callable<Integer> {
  @Mixin ExtractionOptions options;

  @Option(
      names = "--users",
      defaultValue = "${env:USERS_URI:-sim}",
      description = "Users and refresh tokens, as for recently-played. Default: ${DEFAULT-VALUE}.")
  String users;

  @Option(
      names = "--playlist",
      required = true,
      split = ",",
      description =
          "USER_KEY:PLAYLIST_ID; repeat for more playlists, or separate them with commas (as the"
              + " DAG passes its Variable).")
  List<String> playlists = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>();
    ExtractorConfig config = Commands.config(options, users, false, null, problems);
    List<PlaylistItemsRun.Target> targets = new ArrayList<>();
    for (String p : playlists) {
      try {
        targets.add(PlaylistItemsRun.Target.parse(p));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return Commands.execute(
        "playlist-items", config, problems, x -> new PlaylistItemsRun(x, targets));
  }
}
