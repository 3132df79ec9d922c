package dev.tributary.cli;

import ch.qos.logback.classic.Level;
import dev.tributary.config.NodeSettings;
import java.io.Console;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the CLI needs to know about where its output goes, and how loud the logs are. */
final class Terminal {
  private Terminal() {}

  /**
   * True when standard input and output are an interactive terminal. {@code System.console()} alone
   * is not enough: from JDK 22 it returns a console even when output is piped, and {@code
   * Console.isTerminal()} (JDK 22+, called reflectively since we build for 21) tells the two apart.
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a non-null console is a terminal
    }
  }

  /**
   * Commands that draw their own progress (demo, sync-profiles) keep the log to warnings and
   * errors, unless {@code TRIBUTARY_LOG_LEVEL} asks for more.
   */
  static void quietLogs(NodeSettings settings) {
    if (settings.logLevel().isPresent()) {
      return;
    }
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.WARN);
    }
    // the ONNX runtime's loader warns on every machine without a GPU
    if (LoggerFactory.getLogger("ai.djl.util.cuda") instanceof ch.qos.logback.classic.Logger djl) {
      djl.setLevel(Level.ERROR);
    }
  }
}
