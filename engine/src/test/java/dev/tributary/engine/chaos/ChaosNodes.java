package dev.tributary.engine.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The child JVMs of the chaos cluster: started, told to hog their pool, killed. */
final class ChaosNodes implements AutoCloseable {
  private final String url;
  private final ChaosSettings settings;
  private final String mainClass;
  // sorted by name (node-1, node-2, …), readable while the scenarios kill and start nodes
  private final Map<String, Process> live = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Map<String, String> ready = new java.util.concurrent.ConcurrentHashMap<>();

  ChaosNodes(String url, ChaosSettings settings, String mainClass) {
    this.url = url;
    this.settings = settings;
    this.mainClass = mainClass;
  }

  /** Starts a node JVM and waits until its engine runs. */
  void start(String name) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx" + settings.nodeHeapMb() + "m",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass,
            url,
            name,
            String.valueOf(settings.concurrency()),
            String.valueOf(settings.poolSize()),
            String.valueOf(settings.lease().toMillis()),
            String.valueOf(settings.workMillis()));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<Boolean> started = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY")) {
                      ready.put(name, line);
                      started.complete(true);
                    } else if (settings.verbose() || line.contains("Exception")) {
                      System.err.println("[" + name + "] " + line);
                    }
                  }
                } catch (IOException ignored) {
                  // the node is gone
                }
                started.complete(false);
              },
              "chaos-out-" + name);
      reader.setDaemon(true);
      reader.start();
      if (!started.get(90, TimeUnit.SECONDS)) {
        throw new IllegalStateException("chaos node " + name + " exited before it was ready");
      }
      live.put(name, p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start chaos node " + name, e);
    } catch (Exception e) {
      throw new IllegalStateException("chaos node " + name + " did not start", e);
    }
  }

  /** The line the node printed when it was ready ({@code READY <node> …}). */
  String readyLine(String name) {
    return ready.get(name);
  }

  List<String> names() {
    return new ArrayList<>(live.keySet());
  }

  /** SIGKILL: no shutdown hook runs, nothing is released. */
  void kill(String name) throws InterruptedException {
    Process p = live.remove(name);
    p.toHandle().destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Tells a node to take every connection of its own pool for that long. */
  void hogPool(String name, long millis) {
    try {
      OutputStream in = live.get(name).getOutputStream();
      in.write(("HOG " + millis + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not reach chaos node " + name, e);
    }
  }

  boolean alive(String name) {
    return live.containsKey(name) && live.get(name).isAlive();
  }

  @Override
  public void close() {
    for (Process p : live.values()) {
      p.destroy();
    }
    for (Process p : live.values()) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    live.clear();
  }
}
