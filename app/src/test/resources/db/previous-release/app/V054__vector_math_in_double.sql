-- tributary_dot multiplied real by real: PostgreSQL raises "value out of range: underflow" when such a
-- product of two non-zero floats rounds to zero, which a tiny component of a normalised vector is
-- enough to cause. Multiplying in double precision keeps every product representable and changes no
-- result that the old function could compute, so stored embedding_norm values stay valid.
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
    s := s + a[i]::double precision * b[i]::double precision;
  END LOOP;
  RETURN s;
END
$$;
