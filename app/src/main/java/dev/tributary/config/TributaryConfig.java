package dev.tributary.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything Tributary reads from the environment, parsed once at start-up into one typed slice per
 * feature. The variable names are the seeds' own, so a deployment of the originals keeps its
 * settings. A bad value is a {@link StartupException} naming the variable and the accepted form;
 * blank is unset. {@link #VARIABLES} lists every variable read (the README's configuration table is
 * held to it). No code outside this package reads the environment; {@link #toString()} never prints
 * a secret.
 */
public record TributaryConfig(
    CoreSettings core,
    NodeSettings node,
    SecuritySettings security,
    LinkedInSettings linkedin,
    OpenAiSettings openai,
    TwitterSettings twitter,
    EngagementSettings engagement,
    SupplierSettings suppliers,
    PublishingSettings publishing,
    LimitsSettings limits) {

  /** Read by the {@code ./tributary} launcher script, not by Java. */
  public static final Variable TRIBUTARY_JAVA_OPTS =
      new Variable(
          "TRIBUTARY_JAVA_OPTS",
          "empty",
          "JVM options for ./tributary, after its node-sized defaults (read by the script)");

  /** Every variable the settings parse, slice by slice. */
  public static final List<Variable> VARIABLES =
      Stream.of(
              CoreSettings.VARIABLES,
              NodeSettings.VARIABLES,
              SecuritySettings.VARIABLES,
              LinkedInSettings.VARIABLES,
              OpenAiSettings.VARIABLES,
              TwitterSettings.VARIABLES,
              EngagementSettings.VARIABLES,
              SupplierSettings.VARIABLES,
              PublishingSettings.VARIABLES,
              LimitsSettings.VARIABLES)
          .flatMap(List::stream)
          .toList();

  /** The variables of the launcher script, documented in the same table. */
  public static final List<Variable> LAUNCHER_VARIABLES = List.of(TRIBUTARY_JAVA_OPTS);

  public static final String DEFAULT_DATA_DIR = CoreSettings.DEFAULT_DATA_DIR;
  public static final int DEFAULT_PORT = CoreSettings.DEFAULT_PORT;

  /** The process's environment, the one place that reads it. */
  public static TributaryConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** Parses and validates every slice; the first bad value is a {@link StartupException}. */
  public static TributaryConfig from(Map<String, String> env) {
    return new TributaryConfig(
        CoreSettings.parse(env),
        NodeSettings.parse(env),
        SecuritySettings.parse(env),
        LinkedInSettings.parse(env),
        OpenAiSettings.parse(env),
        TwitterSettings.parse(env),
        EngagementSettings.parse(env),
        SupplierSettings.parse(env),
        PublishingSettings.parse(env),
        LimitsSettings.parse(env));
  }

  /**
   * {@code TRIBUTARY_DEBUG} alone, for the CLI's last-resort error handler: it must answer even
   * when another variable is bad.
   */
  public static boolean debugRequested() {
    return NodeSettings.TRIBUTARY_DEBUG.isSet(System.getenv());
  }

  public TributaryConfig withPort(int newPort) {
    return new TributaryConfig(
        core.withPort(newPort),
        node,
        security,
        linkedin,
        openai,
        twitter,
        engagement,
        suppliers,
        publishing,
        limits);
  }

  public TributaryConfig withLinkedIn(LinkedInSettings newLinkedIn) {
    return new TributaryConfig(
        core,
        node,
        security,
        newLinkedIn,
        openai,
        twitter,
        engagement,
        suppliers,
        publishing,
        limits);
  }

  public TributaryConfig withOpenAi(OpenAiSettings newOpenAi) {
    return new TributaryConfig(
        core,
        node,
        security,
        linkedin,
        newOpenAi,
        twitter,
        engagement,
        suppliers,
        publishing,
        limits);
  }

  public TributaryConfig withTwitter(TwitterSettings newTwitter) {
    return new TributaryConfig(
        core,
        node,
        security,
        linkedin,
        openai,
        newTwitter,
        engagement,
        suppliers,
        publishing,
        limits);
  }

  public TributaryConfig withPublishing(PublishingSettings newPublishing) {
    return new TributaryConfig(
        core,
        node,
        security,
        linkedin,
        openai,
        twitter,
        engagement,
        suppliers,
        newPublishing,
        limits);
  }

  public TributaryConfig withSuppliers(SupplierSettings newSuppliers) {
    return new TributaryConfig(
        core,
        node,
        security,
        linkedin,
        openai,
        twitter,
        engagement,
        newSuppliers,
        publishing,
        limits);
  }

  // Shortcuts to the settings most components take.

  public Optional<String> databaseUrl() {
    return core.databaseUrl();
  }

  public Path dataDir() {
    return core.dataDir();
  }

  public int port() {
    return core.port();
  }

  public URI publicUrl() {
    return core.publicUrl();
  }

  public Optional<String> serviceRoleKey() {
    return security.serviceRoleKey();
  }

  public Optional<String> schedulerSecret() {
    return security.schedulerSecret();
  }

  public Optional<String> jwtSecret() {
    return security.jwtSecret();
  }

  @Override
  public String toString() {
    return "TributaryConfig["
        + core
        + ", "
        + node
        + ", "
        + security
        + ", "
        + linkedin
        + ", "
        + openai
        + ", "
        + twitter
        + ", "
        + engagement
        + ", "
        + suppliers
        + ", "
        + publishing
        + "]";
  }
}
