package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The logging configuration the jar ships (tests use logback-test.xml instead, so nothing else
 * would notice a broken one): logback prints its own errors on stdout, where the run summary goes.
 */
class LoggingConfigTest {
  @Test
  void theShippedLogbackConfigurationParsesWithoutErrors() throws Exception {
    URL shipped = getClass().getClassLoader().getResource("logback.xml");
    assertThat(shipped).isNotNull();
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .filteredOn(s -> s.getLevel() >= Status.WARN)
        .as("errors and warnings while reading logback.xml")
        .isEmpty();
  }
}
