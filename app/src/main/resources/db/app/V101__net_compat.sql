-- pg_net's SQL interface on the engine, installed only when the pg_net extension is absent (see
-- docs/dropin.md for removing it before installing the real extension).
--
-- net.http_post / net.http_get return a request id at once. The request is a row of
-- net.http_request_queue plus an engine job ('net.http'), both written in the caller's transaction:
-- nothing is sent before it commits, and nothing at all if it rolls back. The job sends the request,
-- retries network errors, timeouts, 429 and 5xx (engine backoff, at most 5 attempts), and writes the
-- answer to net._http_response with pg_net's columns; the queued row (with its headers) is deleted
-- once the request is done, as pg_net does.
DO $install$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_net')
     OR EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'net') THEN
    RAISE NOTICE 'schema net exists (pg_net?): the Tributary net layer is not installed';
    RETURN;
  END IF;

  CREATE SCHEMA net;
  COMMENT ON SCHEMA net IS 'tributary drop-in for pg_net: net.http_post and friends as retried engine jobs';

  CREATE TABLE net.http_request_queue (
    id                   bigserial PRIMARY KEY,
    method               text        NOT NULL CHECK (method IN ('GET', 'POST', 'DELETE')),
    url                  text        NOT NULL,
    headers              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    body                 bytea,
    timeout_milliseconds integer     NOT NULL CHECK (timeout_milliseconds > 0),
    job_id               bigint,
    created              timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE net._http_response (
    id           bigint PRIMARY KEY,
    status_code  integer,
    content_type text,
    headers      jsonb,
    content      text,
    timed_out    boolean,
    error_msg    text,
    created      timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX http_response_created_idx ON net._http_response (created);

  -- what pg_net refuses, refused here the same way, before anything is queued
  CREATE FUNCTION net._check(url text, headers jsonb, params jsonb, timeout_milliseconds integer)
  RETURNS void LANGUAGE plpgsql IMMUTABLE AS $fn$
  BEGIN
    IF url IS NULL OR url !~* '^https?://[^/\s?#]+[^\s]*$' THEN
      RAISE EXCEPTION 'invalid url: %', coalesce(url, 'NULL')
        USING HINT = 'the url must be absolute, http:// or https://', ERRCODE = '22023';
    END IF;
    IF headers IS NOT NULL AND jsonb_typeof(headers) <> 'object' THEN
      RAISE EXCEPTION 'headers must be a JSON object of strings, got a JSON %', jsonb_typeof(headers)
        USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_each(coalesce(headers, '{}')) h WHERE jsonb_typeof(h.value) <> 'string') THEN
      RAISE EXCEPTION 'headers must be a JSON object of strings' USING ERRCODE = '22023';
    END IF;
    IF params IS NOT NULL AND jsonb_typeof(params) <> 'object' THEN
      RAISE EXCEPTION 'params must be a JSON object, got a JSON %', jsonb_typeof(params)
        USING ERRCODE = '22023';
    END IF;
    IF timeout_milliseconds IS NULL OR timeout_milliseconds < 1 OR timeout_milliseconds > 300000 THEN
      RAISE EXCEPTION 'timeout_milliseconds must be between 1 and 300000, got %', timeout_milliseconds
        USING ERRCODE = '22023';
    END IF;
  END;
  $fn$;

  -- params become the query string, as pg_net does
  CREATE FUNCTION net._with_params(url text, params jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN params IS NULL OR params = '{}'::jsonb THEN url
                ELSE url || CASE WHEN url LIKE '%?%' THEN '&' ELSE '?' END
                         || (SELECT string_agg(replace(replace(k, '&', '%26'), '=', '%3D') || '=' ||
                                               replace(replace(replace(v, '%', '%25'), '&', '%26'), ' ', '%20'), '&')
                               FROM jsonb_each_text(params) AS p(k, v))
           END
  $fn$;

  CREATE FUNCTION net._enqueue(method text, url text, headers jsonb, body bytea, timeout_milliseconds integer)
  RETURNS bigint LANGUAGE plpgsql AS $fn$
  DECLARE
    v_id bigint;
    v_job bigint;
  BEGIN
    INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    VALUES (method, url, coalesce(headers, '{}'::jsonb), body, timeout_milliseconds)
    RETURNING id INTO v_id;
    SELECT e.job_id INTO v_job
      FROM tributary.enqueue_job('net.http', jsonb_build_object('request_id', v_id), 'net', 0, now(), 5,
                                 'net.http:' || v_id) e;
    UPDATE net.http_request_queue SET job_id = v_job WHERE id = v_id;
    RETURN v_id;
  END;
  $fn$;

  CREATE FUNCTION net.http_post(
    url                  text,
    body                 jsonb   DEFAULT '{}'::jsonb,
    params               jsonb   DEFAULT '{}'::jsonb,
    headers              jsonb   DEFAULT '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000) RETURNS bigint
  LANGUAGE plpgsql AS $fn$
  DECLARE
    v_headers jsonb := coalesce(headers, '{}'::jsonb);
  BEGIN
    PERFORM net._check(url, headers, params, timeout_milliseconds);
    -- pg_net sends JSON unless the caller says otherwise
    IF NOT EXISTS (SELECT 1 FROM jsonb_object_keys(v_headers) k WHERE lower(k) = 'content-type') THEN
      v_headers := v_headers || '{"Content-Type": "application/json"}'::jsonb;
    END IF;
    RETURN net._enqueue('POST', net._with_params(url, params), v_headers,
                        convert_to(coalesce(body, '{}'::jsonb)::text, 'UTF8'), timeout_milliseconds);
  END;
  $fn$;

  CREATE FUNCTION net.http_get(
    url                  text,
    params               jsonb   DEFAULT '{}'::jsonb,
    headers              jsonb   DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000) RETURNS bigint
  LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM net._check(url, headers, params, timeout_milliseconds);
    RETURN net._enqueue('GET', net._with_params(url, params), headers, NULL, timeout_milliseconds);
  END;
  $fn$;

  CREATE FUNCTION net.http_delete(
    url                  text,
    params               jsonb   DEFAULT '{}'::jsonb,
    headers              jsonb   DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000) RETURNS bigint
  LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM net._check(url, headers, params, timeout_milliseconds);
    RETURN net._enqueue('DELETE', net._with_params(url, params), headers, NULL, timeout_milliseconds);
  END;
  $fn$;
END;
$install$;
