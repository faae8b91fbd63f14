package dev.listening.extractor.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.listening.extractor.run.Progress;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventPatternJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs go to stderr (stdout carries the run summary): plain lines for people, or one JSON object
 * per line for Cloud Logging, whose {@code severity} field wants WARNING rather than WARN.
 */
public final class LoggingSetup {
  private LoggingSetup() {}

  public static void configure(String format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ctx.reset();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setTarget("System.err");
    console.setEncoder("json".equals(format) ? json(ctx) : text(ctx));
    console.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    for (String noisy : new String[] {"io.grpc", "io.netty", "com.google", "okhttp3", "sun.net"}) {
      ctx.getLogger(noisy).setLevel(Level.WARN);
    }
  }

  private static Encoder<ILoggingEvent> text(LoggerContext ctx) {
    PatternLayoutEncoder e =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            byte[] line = super.encode(event);
            if (!Progress.barShown()) {
              return line;
            }
            // Clear the bar's line first: the log line takes it, the bar is redrawn below.
            byte[] clear = "\r\033[K".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] out = java.util.Arrays.copyOf(clear, clear.length + line.length);
            System.arraycopy(line, 0, out, clear.length, line.length);
            return out;
          }
        };
    e.setContext(ctx);
    e.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    e.start();
    return e;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext ctx) {
    LoggingEventCompositeJsonEncoder e = new LoggingEventCompositeJsonEncoder();
    e.setContext(ctx);
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    LoggingEventFormattedTimestampJsonProvider time =
        new LoggingEventFormattedTimestampJsonProvider();
    time.setFieldName("time");
    providers.addProvider(time);
    LoggingEventPatternJsonProvider fields = new LoggingEventPatternJsonProvider();
    fields.setPattern(
        "{\"severity\":\"%replace(%level){'WARN','WARNING'}\",\"logger\":\"%logger\",\"thread\":\"%thread\"}");
    providers.addProvider(fields);
    providers.addProvider(new MessageJsonProvider());
    StackTraceJsonProvider stack = new StackTraceJsonProvider();
    stack.setFieldName("stack_trace");
    providers.addProvider(stack);
    e.setProviders(providers);
    e.start();
    return e;
  }
}
