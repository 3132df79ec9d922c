package dev.tributary.node.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.chaos.ChaosNodeMain;
import dev.tributary.node.TributaryNode;
import dev.tributary.search.HashingEmbedder;
import java.util.Map;

/**
 * One node of the app's chaos cluster, in its own JVM: a whole {@link TributaryNode} (the cascade's
 * six workers and its reconcile, search with its index, every other pipeline's handlers and the
 * HTTP API on a free port) whose engine also runs the chaos suite's handlers with its short lease.
 * Embeddings come from {@link HashingEmbedder}: the bundled ONNX model in three JVMs on a 2-core
 * machine would spend the CPU the faults are measured with, and its answers are not what is tested
 * here. Same arguments and stdin commands as {@link ChaosNodeMain}; prints {@code READY <node>
 * port=<port>}.
 */
public final class ChaosAppNodeMain {
  /** The service key the harness's search load presents. */
  static final String SERVICE_KEY = "chaos-service-key";

  static final String MODEL = "test/chaos-hash";

  private ChaosAppNodeMain() {}

  public static void main(String[] argv) throws Exception {
    ChaosNodeMain.Args args = ChaosNodeMain.Args.parse(argv);
    HikariDataSource db = ChaosNodeMain.pool(args);
    HikariDataSource requests = requestPool(args);
    TributaryConfig config = TributaryConfig.from(Map.of("SERVICE_ROLE_KEY", SERVICE_KEY));
    TributaryNode node =
        TributaryNode.start(
            config,
            db,
            requests,
            new TributaryNode.Options(args.node(), args.concurrency(), 0),
            AiProviders.local(new HashingEmbedder(MODEL)),
            builder -> ChaosNodeMain.configure(builder, db, args));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close));
    System.out.println("READY " + args.node() + " port=" + node.port());
    System.out.flush();
    ChaosNodeMain.serveCommands(db, args.poolSize());
  }

  /**
   * The requests' own pool, as a served node has ({@code Database.webDataSource()}), under the same
   * application name: cutting a node's connections cuts these too.
   */
  private static HikariDataSource requestPool(ChaosNodeMain.Args args) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(2_000);
    config.addDataSourceProperty("ApplicationName", "chaos-" + args.node());
    config.setPoolName("chaos-" + args.node() + "-web");
    return new HikariDataSource(config);
  }
}
