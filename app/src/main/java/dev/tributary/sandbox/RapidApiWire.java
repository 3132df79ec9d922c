package dev.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The JSON of RapidAPI "Fresh LinkedIn Profile Data" {@code /get-profile-posts}
 * (spec/external-apis.md §1): the {@code data}/{@code message}/{@code paging} envelope, posts with
 * the captured field names, reaction sub-counts present only when non-zero, and the gateway's error
 * bodies.
 */
public final class RapidApiWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter POSTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private RapidApiWire() {}

  public static final String INVALID_KEY =
      "{\"message\":\"Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.\"}";
  public static final String NOT_SUBSCRIBED =
      "{\"message\":\"You are not subscribed to this API.\"}";
  public static final String RATE_LIMITED =
      "{\"message\":\"You have exceeded the rate limit per second for your plan, BASIC, by the API provider\"}";
  public static final String MONTHLY_QUOTA =
      "{\"message\":\"You have exceeded the MONTHLY quota for Requests on your current plan, BASIC. Upgrade your plan at https://rapidapi.com/\"}";

  /** A page: {@code paging.pagination_token} only when {@code nextToken} is not null. */
  public static String page(List<SyntheticPost> posts, int start, String nextToken) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    posts.forEach(p -> data.add(post(p)));
    root.put("message", "ok");
    ObjectNode paging = root.putObject("paging");
    paging.put("count", 50);
    if (nextToken != null) {
      paging.put("pagination_token", nextToken);
    }
    paging.put("start", start);
    return root.toString();
  }

  public static ObjectNode post(SyntheticPost p) {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("attributes");
    o.putArray("images");
    putIfNonZero(o, "num_appreciations", null);
    if (p.comments() != null) {
      o.put("num_comments", p.comments());
    }
    putIfNonZero(o, "num_empathy", p.empathy());
    if (p.likes() != null) {
      o.put("num_likes", p.likes());
    }
    putIfNonZero(o, "num_praises", p.praises());
    o.put("num_reactions", p.reactions());
    if (p.reposts() != null) {
      o.put("num_reposts", p.reposts());
    }
    if (p.postUrl() != null) {
      o.put("post_url", p.postUrl());
    }
    if (p.posted() != null) {
      o.put("posted", POSTED.format(p.posted()));
    }
    ObjectNode poster = o.putObject("poster");
    poster.put("first", p.authorFirst());
    poster.put("headline", p.authorHeadline());
    poster.put("last", p.authorLast());
    String profileUrl = "https://www.linkedin.com/in/" + p.authorPublicId();
    poster.put("linkedin_url", profileUrl);
    poster.put("public_id", p.authorPublicId());
    poster.put("urn", "ACoAASynthetic" + Integer.toHexString(p.authorPublicId().hashCode()));
    o.put("poster_linkedin_url", profileUrl);
    if (p.reshared()) {
      ObjectNode stats = o.putObject("repost_stats");
      stats.put("num_comments", p.comments() == null ? 0 : p.comments());
      stats.put("num_likes", p.likes() == null ? 0 : p.likes());
      stats.put("num_reactions", p.reactions());
      stats.put("num_reposts", p.reposts() == null ? 0 : p.reposts());
      o.put("repost_urn", p.urn() + "1");
      if (p.posted() != null) {
        o.put("reposted", POSTED.format(p.posted().plusSeconds(3600)));
      }
    }
    o.put("reshared", p.reshared());
    if (p.text() != null) {
      o.put("text", p.text());
    }
    o.put("time", "1 week ago");
    if (p.urn() != null) {
      o.put("urn", p.urn());
    }
    return o;
  }

  private static void putIfNonZero(ObjectNode o, String field, Integer v) {
    if (v != null && v != 0) {
      o.put(field, v);
    }
  }

  public static String message(String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("message", message);
    return o.toString();
  }
}
