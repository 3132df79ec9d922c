SELECT cron.schedule(
  'process-embeddings',
  '*/5 * * * *', -- Toutes les 5 minutes
  $$
    SELECT net.http_post(
      url := 'https://[project].supabase.co/functions/v1/process-embedding-queue',
      headers := '{"Authorization": "Bearer [service_key]"}'::jsonb,
      body := '{"action": "process", "batchSize": 50}'::jsonb
    );
  $$
);
