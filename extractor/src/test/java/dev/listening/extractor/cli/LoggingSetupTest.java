package dev.listening.extractor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.extractor.run.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Log lines and the progress bar share stderr: a line clears the bar's line before it prints. */
class LoggingSetupTest {
  @Test
  void whileABarIsShownALogLineFirstClearsItsLine() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      LoggingSetup.configure("text");
      LoggerFactory.getLogger("test").warn("without a bar");
      Progress.BAR_SHOWN.incrementAndGet();
      try {
        LoggerFactory.getLogger("test").warn("with a bar");
      } finally {
        Progress.BAR_SHOWN.decrementAndGet();
      }
    } finally {
      System.setErr(old);
      LoggingSetup.configure("text");
    }
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).doesNotContain("\r").endsWith("without a bar");
    assertThat(lines[1]).startsWith("\r\u001b[K").endsWith("with a bar");
  }
}
