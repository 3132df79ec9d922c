package dev.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What /proc says about this JVM and an embedded PostgreSQL (its postmaster and every backend): CPU
 * seconds, CPU by thread, peak resident memory, the load average; so a benchmark can say where the
 * cores went. Linux only: elsewhere the numbers read 0 or -1.
 */
final class CpuTime {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we run on

  private final Path dataDir;

  /** {@code dataDir}: a directory under which the server's postmaster.pid lies. */
  CpuTime(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * {jvm, postgres, jit} CPU seconds (user + system) since each process started; jit is the part of
   * jvm spent by the JIT compiler threads, a cost a node that has run for a while no longer pays.
   */
  double[] now() {
    return new double[] {seconds(ProcessHandle.current().pid()), postgresSeconds(), jitSeconds()};
  }

  /**
   * CPU nanoseconds of every thread of this process, JVM and native ones (GC, compiler, ONNX)
   * alike, summed by name with digits removed (pools fold into one); Linux only, from
   * /proc/self/task.
   */
  static Map<String, Long> threadCpu() {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip().replaceAll("\\d+", "#");
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.merge(name, ticks * 10_000_000L, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The 1, 5 and 15 minute load averages: other processes share the cores. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + "/" + parts[1] + "/" + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** VmHWM of /proc/self/status (Linux); -1 where it does not exist. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static double jitSeconds() {
    double total = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).contains("CompilerThre")) {
            String stat = Files.readString(t.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  /**
   * CPU seconds of the server's processes by kind (backends by database user, autovacuum, WAL
   * writer…).
   */
  java.util.Map<String, Double> postgresByKind() {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    long postmaster = postmasterPid();
    if (postmaster < 0) {
      return out;
    }
    out.put("postmaster", seconds(postmaster));
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)
            && parent(Long.parseLong(name)) == postmaster) {
          String title;
          try {
            title = Files.readString(p.resolve("cmdline")).replace('\0', ' ').strip();
          } catch (IOException e) {
            continue;
          }
          String kind = title.startsWith("postgres: ") ? title.substring(10) : title;
          kind = kind.replaceAll("\\d+", "#");
          kind = kind.contains(" postgres ") || kind.startsWith("postgres ") ? "backends" : kind;
          out.merge(
              kind.length() > 40 ? kind.substring(0, 40) : kind,
              seconds(Long.parseLong(name)),
              Double::sum);
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private double postgresSeconds() {
    long postmaster = postmasterPid();
    if (postmaster < 0) {
      return 0;
    }
    double total = seconds(postmaster);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)
            && parent(Long.parseLong(name)) == postmaster) {
          total += seconds(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      return total;
    }
    return total;
  }

  private long postmasterPid() {
    try (Stream<Path> files = Files.walk(dataDir, 4)) {
      List<Path> pidFiles =
          files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).toList();
      return pidFiles.isEmpty()
          ? -1
          : Long.parseLong(Files.readAllLines(pidFiles.get(0)).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Fields after the command name of /proc/PID/stat: state is [0], ppid [1], utime [11], stime
   * [12].
   */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long parent(long pid) {
    String[] f = stat(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  private static double seconds(long pid) {
    String[] f = stat(pid);
    return f == null ? 0 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }
}
