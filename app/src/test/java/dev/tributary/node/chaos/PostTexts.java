package dev.tributary.node.chaos;

/**
 * Deterministic post texts for the chaos cascade: a first line the hook extractor keeps, a second
 * line of body, words drawn from small lists so that searches find neighbours.
 */
final class PostTexts {
  private static final String[] SUBJECTS = {
    "pricing", "hiring", "onboarding", "churn", "fundraising", "pipelines", "support", "roadmaps"
  };
  private static final String[] VERBS = {
    "doubled", "halved", "rebuilt", "automated", "measured", "dropped", "shipped", "tested"
  };
  private static final String[] OBJECTS = {
    "our sales team",
    "the weekly report",
    "every contract",
    "the free tier",
    "our first hires",
    "the support queue",
    "the launch plan",
    "each customer call"
  };

  private PostTexts() {}

  static String of(long n) {
    String subject = SUBJECTS[(int) (n % SUBJECTS.length)];
    String verb = VERBS[(int) (n / 3 % VERBS.length)];
    String object = OBJECTS[(int) (n / 7 % OBJECTS.length)];
    return "Lesson "
        + n
        + ": we "
        + verb
        + " "
        + object
        + " and "
        + subject
        + " changed for good.\n"
        + "Here is what "
        + subject
        + " taught us after we "
        + verb
        + " "
        + object
        + ", and what we would do again.";
  }

  /** A search query in the posts' words. */
  static String query(long n) {
    return SUBJECTS[(int) (n % SUBJECTS.length)] + " " + VERBS[(int) (n / 2 % VERBS.length)];
  }
}
