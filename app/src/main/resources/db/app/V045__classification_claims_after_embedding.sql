-- The local classifiers read a post's vectors (topics and audiences its embedding, hooks the pass
-- that embeds it), and the embedding worker classifies inline what it embeds. While the embedding
-- worker is enabled they therefore claim only posts already embedded: claiming a post that still
-- needs its embedding only to give it back cost two row versions, and a claim stamp held while the
-- embedding store waited for that post's row lock made the store leave the post to its worker, which
-- then ran the model a second time. Same queue protocol as claim_posts_needing (S1.9), one
-- condition more.
CREATE FUNCTION claim_embedded_posts_needing(p_queue text, p_max_posts integer, p_stale_after interval)
RETURNS SETOF viral_posts_bank
LANGUAGE plpgsql AS $$
BEGIN
  IF p_queue IS NULL OR p_queue NOT IN ('hook_classification', 'topic_classification',
                                        'audience_classification') THEN
    RAISE EXCEPTION 'unknown classification queue: %', p_queue USING ERRCODE = '22023';
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
                       AND NOT c.needs_embedding
                       AND (c.%2$I IS NULL OR c.%2$I < now() - $2)
                     ORDER BY c.created_at
                     LIMIT $1
                       FOR UPDATE SKIP LOCKED)
    RETURNING v.*$q$, 'needs_' || p_queue, p_queue || '_locked_at')
  USING p_max_posts, coalesce(p_stale_after, interval '10 minutes');
END;
$$;
