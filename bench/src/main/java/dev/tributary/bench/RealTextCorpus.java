package dev.tributary.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Real English text that needs no download, in a fixed order: the distinct one-line package
 * descriptions of apt's lists ({@code /var/lib/apt/lists/*Packages*}, plain or lz4 through {@code
 * lz4cat}), then sentences of the English man pages ({@code /usr/share/man/man[1-8]}, files in name
 * order). Deduplicated; sentences of 5 words or more.
 */
final class RealTextCorpus {
  static final String NAME = "debian-descriptions+man-sentences";
  private static final Pattern ESCAPES =
      Pattern.compile("\\\\f[BIRP1-4]|\\\\f\\(..|\\\\\\(..|\\\\&");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z])");

  private RealTextCorpus() {}

  /** The first {@code n} texts; fails when the machine has fewer. */
  static List<String> texts(int n) throws IOException, InterruptedException {
    Set<String> out = new LinkedHashSet<>();
    packageDescriptions(out, n);
    if (out.size() < n) {
      manSentences(out, n);
    }
    if (out.size() < n) {
      throw new IllegalStateException(
          "only "
              + out.size()
              + " real texts on this machine (apt lists and man pages), "
              + n
              + " asked for: use --rows");
    }
    return new ArrayList<>(out).subList(0, n);
  }

  private static void packageDescriptions(Set<String> out, int n)
      throws IOException, InterruptedException {
    Path lists = Path.of("/var/lib/apt/lists");
    if (!Files.isDirectory(lists)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(lists)) {
      files = s.filter(p -> p.getFileName().toString().contains("_Packages")).sorted().toList();
    }
    for (Path f : files) {
      Process lz4 = null;
      InputStream in;
      if (f.toString().endsWith(".lz4")) {
        lz4 = new ProcessBuilder("lz4cat", f.toString()).redirectErrorStream(false).start();
        in = lz4.getInputStream();
      } else if (f.toString().endsWith(".gz")) {
        in = new GZIPInputStream(Files.newInputStream(f));
      } else {
        in = Files.newInputStream(f);
      }
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null && out.size() < n; line = r.readLine()) {
          if (line.startsWith("Description: ")) {
            String text = line.substring("Description: ".length()).strip();
            if (text.length() >= 10) {
              out.add(text);
            }
          }
        }
      } finally {
        if (lz4 != null) {
          lz4.destroy();
          lz4.waitFor();
        }
      }
    }
  }

  private static void manSentences(Set<String> out, int n) throws IOException {
    for (int section = 1; section <= 8 && out.size() < n; section++) {
      Path dir = Path.of("/usr/share/man/man" + section);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> pages;
      try (Stream<Path> s = Files.list(dir)) {
        pages = s.filter(p -> p.toString().endsWith(".gz")).sorted().toList();
      }
      for (Path page : pages) {
        if (out.size() >= n) {
          return;
        }
        try {
          sentencesOf(page, out, n);
        } catch (IOException e) {
          // a symlink to a missing page or a broken archive: skip it
        }
      }
    }
  }

  private static void sentencesOf(Path page, Set<String> out, int n) throws IOException {
    StringBuilder paragraph = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(page)), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(".") || line.startsWith("'")) {
          flush(paragraph, out, n);
          continue;
        }
        paragraph.append(' ').append(ESCAPES.matcher(line).replaceAll("").replace("\\-", "-"));
      }
    }
    flush(paragraph, out, n);
  }

  private static void flush(StringBuilder paragraph, Set<String> out, int n) {
    for (String s : SENTENCE_END.split(paragraph.toString().strip())) {
      String t = s.strip().replaceAll("\\s+", " ");
      if (out.size() < n
          && t.length() >= 30
          && t.length() <= 400
          && t.indexOf('\\') < 0
          && t.split(" ").length >= 5) {
        out.add(t);
      }
    }
    paragraph.setLength(0);
  }
}
