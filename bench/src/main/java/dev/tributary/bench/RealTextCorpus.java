package dev.tributary.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real English text that needs no download, in a fixed order: the distinct one-line package
 * descriptions of apt's lists ({@code /var/lib/apt/lists/*Packages*}, plain or lz4 through {@code
 * lz4cat}), then sentences of the English man pages ({@code /usr/share/man/man[1-8]}, files in name
 * order), then sentences of the Javadoc comments in the running JDK's {@code lib/src.zip} (entries
 * in name order, markup stripped, block tags such as {@code @param} left out, and runs of {@code
 * //} line comments), then sentences of the docstrings and comments of the Python library of the
 * {@code python3} on the path (its {@code .py} files in path order). Deduplicated; sentences of 5
 * words or more.
 */
final class RealTextCorpus {
  static final String NAME =
      "apt-descriptions+man+jdk-javadoc+python-docs+rust-docs+c-headers+changelogs-pod";
  private static final Pattern HTML_PARAGRAPH = Pattern.compile("<p>(.*?)</p>", Pattern.DOTALL);
  private static final Pattern C_COMMENT = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL);
  private static final Pattern DOCSTRING = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
  private static final Pattern DOC_COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
  private static final Pattern DOC_MARKUP =
      Pattern.compile("\\{@(?:code|link|linkplain|literal) ([^}]*)}|<[^>]+>|&[a-z]+;");
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
      javadocSentences(out, n);
    }
    if (out.size() < n) {
      docstringSentences(out, n);
    }
    if (out.size() < n) {
      rustDocSentences(out, n);
    }
    if (out.size() < n) {
      headerCommentSentences(out, n);
    }
    if (out.size() < n) {
      plainTextParagraphs(out, n);
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

  private static void javadocSentences(Set<String> out, int n) throws IOException {
    Path src = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    if (!Files.isRegularFile(src)) {
      return;
    }
    try (ZipFile zip = new ZipFile(src.toFile())) {
      List<? extends ZipEntry> entries =
          zip.stream()
              .filter(e -> e.getName().endsWith(".java"))
              .sorted(Comparator.comparing(ZipEntry::getName))
              .toList();
      StringBuilder paragraph = new StringBuilder();
      for (ZipEntry e : entries) {
        if (out.size() >= n) {
          return;
        }
        String code = new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = DOC_COMMENT.matcher(code);
        while (m.find() && out.size() < n) {
          for (String line : m.group(1).split("\n")) {
            String t = line.strip();
            t = t.startsWith("*") ? t.substring(1).strip() : t;
            if (t.startsWith("@")) {
              break; // block tags: the prose is over
            }
            paragraph.append(' ').append(DOC_MARKUP.matcher(t).replaceAll("$1"));
          }
          flush(paragraph, out, n);
        }
        commentSentences(code, "//", paragraph, out, n);
      }
    }
  }

  private static void docstringSentences(Set<String> out, int n)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("python3", "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))")
            .start();
    String lib = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || lib.isEmpty() || !Files.isDirectory(Path.of(lib))) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(lib))) {
      files = s.filter(f -> f.toString().endsWith(".py")).sorted().toList();
    }
    StringBuilder paragraph = new StringBuilder();
    for (Path f : files) {
      if (out.size() >= n) {
        return;
      }
      String code;
      try {
        code = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        continue; // not UTF-8 or unreadable: skip it
      }
      Matcher m = DOCSTRING.matcher(code);
      while (m.find() && out.size() < n) {
        for (String line : m.group(1).split("\n")) {
          paragraph.append(' ').append(line.strip());
        }
        flush(paragraph, out, n);
      }
      commentSentences(code, "#", paragraph, out, n);
    }
  }

  /** Runs of line comments (starting with {@code marker}), each run read as one paragraph. */
  private static void commentSentences(
      String code, String marker, StringBuilder paragraph, Set<String> out, int n) {
    for (String line : code.split("\n")) {
      String t = line.strip();
      if (t.startsWith(marker) && !t.startsWith("#!")) {
        paragraph.append(' ').append(t.substring(marker.length()).replaceFirst("^/", "").strip());
      } else if (!paragraph.isEmpty()) {
        flush(paragraph, out, n);
      }
    }
    flush(paragraph, out, n);
  }

  private static void rustDocSentences(Set<String> out, int n) throws IOException {
    Path toolchains = Path.of(System.getProperty("user.home"), ".rustup", "toolchains");
    if (!Files.isDirectory(toolchains)) {
      return;
    }
    List<Path> html;
    try (Stream<Path> t = Files.list(toolchains)) {
      html =
          t.filter(d -> d.getFileName().toString().startsWith("stable-"))
              .map(d -> d.resolve("share/doc/rust/html"))
              .filter(Files::isDirectory)
              .sorted()
              .toList();
    }
    StringBuilder paragraph = new StringBuilder();
    for (Path root : html) {
      List<Path> pages;
      try (Stream<Path> s = Files.walk(root)) {
        pages = s.filter(f -> f.toString().endsWith(".html")).sorted().toList();
      }
      for (Path page : pages) {
        if (out.size() >= n) {
          return;
        }
        Matcher m = HTML_PARAGRAPH.matcher(Files.readString(page, StandardCharsets.UTF_8));
        while (m.find() && out.size() < n) {
          paragraph.append(DOC_MARKUP.matcher(m.group(1)).replaceAll("$1"));
          flush(paragraph, out, n);
        }
      }
    }
  }

  private static void headerCommentSentences(Set<String> out, int n) throws IOException {
    Path include = Path.of("/usr/include");
    if (!Files.isDirectory(include)) {
      return;
    }
    List<Path> headers;
    try (Stream<Path> s = Files.walk(include)) {
      headers = s.filter(Files::isRegularFile).sorted().toList();
    }
    StringBuilder paragraph = new StringBuilder();
    for (Path header : headers) {
      if (out.size() >= n) {
        return;
      }
      String code;
      try {
        code = Files.readString(header, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        continue;
      }
      Matcher m = C_COMMENT.matcher(code);
      while (m.find() && out.size() < n) {
        for (String line : m.group(1).split("\n")) {
          String t = line.strip();
          paragraph.append(' ').append(t.startsWith("*") ? t.substring(1).strip() : t);
        }
        flush(paragraph, out, n);
      }
      commentSentences(code, "//", paragraph, out, n);
    }
  }

  /** Blank-line separated paragraphs (changelog entries, POD text), markup lines left out. */
  private static void plainTextParagraphs(Set<String> out, int n) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String root : List.of("/usr/share/doc", "/usr/share/perl", "/usr/share/perl5")) {
      if (Files.isDirectory(Path.of(root))) {
        try (Stream<Path> s = Files.walk(Path.of(root))) {
          s.filter(Files::isRegularFile)
              .filter(
                  f -> {
                    String name = f.getFileName().toString();
                    return name.startsWith("changelog") && name.endsWith(".gz")
                        || name.endsWith(".pod")
                        || name.endsWith(".pm");
                  })
              .sorted()
              .forEach(files::add);
        }
      }
    }
    StringBuilder paragraph = new StringBuilder();
    for (Path f : files) {
      if (out.size() >= n) {
        return;
      }
      InputStream in = Files.newInputStream(f);
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  f.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                  StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String t = line.strip();
          if (t.isEmpty() || t.startsWith("=") || t.startsWith("*") || t.startsWith("--")) {
            flush(paragraph, out, n);
          }
          if (!t.isEmpty() && !t.startsWith("=") && !t.startsWith("--")) {
            paragraph.append(' ').append(t.startsWith("*") ? t.substring(1) : t);
          }
        }
      } catch (IOException e) {
        // a broken archive or a file that is not UTF-8: skip it
      }
      flush(paragraph, out, n);
    }
  }
}
