package dev.tributary.bench;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;

/**
 * Entry point of {@code ./bench/run NAME [args]}: runs {@code
 * dev.tributary.bench.<Name>Bench.main}. Each benchmark measures Tributary and its reference side
 * by side in the same run and prints its summary as the last line.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: ./bench/run <queue|cascade|search|switch|publishing|suppliers|engagement|chaos> [options]");
      System.exit(2);
    }
    String name = args[0].toLowerCase(Locale.ROOT);
    String className =
        Bench.class.getPackageName()
            + "."
            + Character.toUpperCase(name.charAt(0))
            + name.substring(1)
            + "Bench";
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      System.err.println("bench: no benchmark named '" + name + "'");
      System.exit(2);
      return;
    }
    Method main = type.getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
