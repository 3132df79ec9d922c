package dev.tributary.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real CLI in a child JVM with a chosen environment, as a user would from a shell. */
final class CliProcess {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  record Result(int exitCode, String stdout, String stderr) {}

  private CliProcess() {}

  static Result run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(DEFAULT_TIMEOUT, env, args);
  }

  static Result run(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // as the ./tributary launcher starts it, with the production logging (not the tests'
    // logback-test.xml)
    command.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Dlogback.configurationFile=logback.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.equals("DATABASE_URL")
                    || k.startsWith("TRIBUTARY_")
                    || k.startsWith("RAPIDAPI_")
                    || k.startsWith("OPENAI_")
                    || k.startsWith("TWITTER_")
                    || k.startsWith("ENGAGEMENT_")
                    || k.equals("X_BEARER_TOKEN")
                    || k.equals("LINKEDIN_API_BASE_URL"));
    pb.environment().putAll(env);
    Process p = pb.start();
    // both streams drained at once: a child filling one pipe while we wait on the other would hang
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "CLI did not finish within "
              + timeout
              + ": "
              + String.join(" ", args)
              + "\nstdout so far:\n"
              + out.getNow("")
              + "\nstderr so far:\n"
              + err.getNow(""));
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
