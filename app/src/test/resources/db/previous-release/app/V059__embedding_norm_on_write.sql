-- Less work per cascade write, the same values stored (measured with ./bench/run cascade, see
-- docs/profile-sync.md). A post goes through about ten UPDATEs in the cascade (each worker claims,
-- then stores), so what runs on every UPDATE counts ten times.

-- viral_posts_bank.embedding_norm (V051) was a stored generated column. PostgreSQL recomputes
-- those on every UPDATE of a table with BEFORE ROW UPDATE triggers, which this one has, so each claim
-- and each classification paid a 384-step PL/pgSQL loop (about 60 us). It is now kept by a trigger
-- that runs only when the embedding is written; its value is the same tributary_norm(embedding).
ALTER TABLE viral_posts_bank ALTER COLUMN embedding_norm DROP EXPRESSION;

CREATE FUNCTION set_viral_post_embedding_norm() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.embedding_norm := tributary_norm(NEW.embedding);
  RETURN NEW;
END;
$$;

CREATE TRIGGER set_viral_post_embedding_norm
  BEFORE INSERT OR UPDATE OF embedding, embedding_norm ON viral_posts_bank
  FOR EACH ROW EXECUTE FUNCTION set_viral_post_embedding_norm();
