SELECT cron.schedule(
  'weekly-profile-sync',
  '0 3 * * 1',  -- Lundi 3h UTC
  $$
  SELECT net.http_post(
    url := 'https://your-project.supabase.co/functions/v1/sync-profiles',
    headers := jsonb_build_object(
      'Authorization', 'Bearer YOUR_SERVICE_ROLE_KEY',
      'Content-Type', 'application/json'
    ),
    body := jsonb_build_object(
      'max_profiles', 50,
      'generate_embeddings', true,
      'classify_hooks', true
    )
  );
  $$
);
