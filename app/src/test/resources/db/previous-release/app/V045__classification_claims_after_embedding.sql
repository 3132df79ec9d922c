-- The local classifiers read a post's vectors (topics and audiences its embedding, hooks the pass
-- that embeds it), and the embedding worker classifies inline what it embeds. While the embedding
-- worker is enabled they therefore claim only posts already embedded: claiming a post that still
-- needs its embedding only to give it back cost two row versions, and a claim stamp held while the
-- embedding store waited for that post's row lock made the store leave the post to its worker, which
-- then ran the model a second time. The S1.9 claim with one optional condition more; the
-- three-argument form, which the seed's get_posts_needing_* call, is this with it off.
CREATE FUNCTION claim_posts_needing(p_queue text, p_max_posts integer, p_stale_after interval,
                                    p_embedded_only boolean)
RETURNS SETOF viral_posts_bank
LANGUAGE plpgsql AS $$
BEGIN
  IF p_queue IS NULL OR p_queue NOT IN ('hook_extraction', 'embedding', 'hook_classification',
                                        'topic_classification', 'audience_classification') THEN
    RAISE EXCEPTION 'unknown post queue: %', p_queue USING ERRCODE = '22023';
  END IF;
  IF p_embedded_only AND p_queue IN ('hook_extraction', 'embedding') THEN
    RAISE EXCEPTION 'the % queue does not wait for embeddings', p_queue USING ERRCODE = '22023';
  END IF;
  IF p_max_posts IS NULL OR p_max_posts < 1 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($q$
    UPDATE viral_posts_bank v
       SET %2$I = now()
     WHERE v.id IN (SELECT c.id
                      FROM viral_posts_bank c
                     WHERE c.%1$I = true
                       AND (c.%2$I IS NULL OR c.%2$I < now() - $2)
                       AND NOT ($3 AND c.needs_embedding)
                     ORDER BY c.created_at
                     LIMIT $1
                       FOR UPDATE SKIP LOCKED)
    RETURNING v.*$q$, 'needs_' || p_queue, p_queue || '_locked_at')
  USING p_max_posts, coalesce(p_stale_after, interval '10 minutes'), coalesce(p_embedded_only, false);
END;
$$;

CREATE OR REPLACE FUNCTION claim_posts_needing(p_queue text, p_max_posts integer, p_stale_after interval)
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing(p_queue, p_max_posts, p_stale_after, false);
$$;
