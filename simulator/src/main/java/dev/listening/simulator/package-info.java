/**
 * A deterministic Spotify Web API simulator: the default data source for local runs and tests of
 * the extractor.
 *
 * <p>{@link dev.listening.simulator.SpotifySimulator#start} generates one UTC day of plays from
 * {@link dev.listening.simulator.SimulatorConfig} (same seed, same day, same responses) and serves
 * it on loopback: {@code /v1} in the shape of the real API for the configured profile (development
 * or extended mode, see SPOTIFY_API_NOTES.md), {@code POST /api/token}, and {@code /_sim/...} admin
 * endpoints for a simulator in its own process ({@link dev.listening.simulator.SimulatorCommand}).
 * Time is simulated ({@link dev.listening.simulator.SimClock}, frozen at day start + 1 h until
 * moved), except for the rate limiter's window, which runs on real time like Spotify's.
 *
 * <p>Because the simulator knows every play it generated, {@link
 * dev.listening.simulator.GroundTruth#retrievability} can say which plays a poll schedule (the same
 * instants for every user) could have retrieved:
 *
 * <ul>
 *   <li>At poll time t a user's horizon H(t) is the 50 newest (by played_at) of their plays with
 *       visible_at &lt;= t. Retrievable is the union of H(t) over the polls.
 *   <li>The watermark w starts at start_from (if given) and after each poll becomes the newest
 *       played_at seen so far. A poll with a full horizon (50) whose oldest play is newer than w is
 *       a gap: plays strictly between w and that oldest play can never be read.
 *   <li>Plays at or before start_from are out of scope. A play never retrieved is not yet visible
 *       if it became visible after the last poll, lost in a gap if it lies inside a gap window, and
 *       otherwise late-evicted (it showed up late, behind the watermark, and was pushed out of the
 *       horizon before a poll saw it). Users whose refresh token expired are unauthorized.
 * </ul>
 */
package dev.listening.simulator;
