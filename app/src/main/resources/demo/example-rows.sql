-- SYNTHETIC example rows for `tributary demo`. Every name, post, tweet and URL below is invented
-- (URLs use the reserved .invalid domain); none describes a real person or account.
-- Idempotent: fixed ids and ON CONFLICT DO NOTHING, so loading it again adds nothing.

INSERT INTO profiles (id, full_name, linkedin_id, linkedin_url, headline, type) VALUES
  ('00000000-0000-4000-8000-000000000001', 'Synthetic Creator 1', 'synthetic-creator-1',
   'https://www.linkedin.invalid/in/synthetic-creator-1', 'Synthetic founder writing about pricing', 'external_influencer'),
  ('00000000-0000-4000-8000-000000000002', 'Synthetic Creator 2', 'synthetic-creator-2',
   'https://www.linkedin.invalid/in/synthetic-creator-2', 'Synthetic recruiter writing about hiring', 'external_influencer'),
  ('00000000-0000-4000-8000-000000000003', 'Synthetic Writer', 'synthetic-writer',
   'https://www.linkedin.invalid/in/synthetic-writer', 'Synthetic internal profile (the user''s own)', 'internal')
ON CONFLICT DO NOTHING;

INSERT INTO viral_posts_bank (id, author_id, post_url, external_post_id, content, hook, likes, comments, reposts, posted_at) VALUES
  ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000001',
   'https://www.linkedin.invalid/posts/synthetic-1', 'synthetic-activity-1',
   E'We doubled our price and lost no customers.\nHere is what we changed before the announcement, step by step.',
   NULL, 412, 57, 12, now() - interval '3 days'),
  ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000001',
   'https://www.linkedin.invalid/posts/synthetic-2', 'synthetic-activity-2',
   E'Stop giving discounts to close deals.\nA discount teaches your buyer that your first price was a lie.',
   'Stop giving discounts to close deals.', 230, 41, 8, now() - interval '6 days'),
  ('00000000-0000-4000-8000-000000000103', '00000000-0000-4000-8000-000000000002',
   'https://www.linkedin.invalid/posts/synthetic-3', 'synthetic-activity-3',
   E'5 questions I ask in every engineering interview:\n1. What did you break last?\n2. How did you find out?',
   '5 questions I ask in every engineering interview:', 980, 133, 40, now() - interval '2 days'),
  ('00000000-0000-4000-8000-000000000104', '00000000-0000-4000-8000-000000000002',
   'https://www.linkedin.invalid/posts/synthetic-4', 'synthetic-activity-4',
   E'I almost rejected our best hire.\nHer resume had a two-year gap. The interview changed my mind.',
   NULL, 1504, 210, 65, now() - interval '9 days')
ON CONFLICT DO NOTHING;

INSERT INTO faq_items (id, question, answer, category) VALUES
  ('00000000-0000-4000-8000-000000000201', 'How often are tracked profiles synced?',
   'Every week (Monday 03:00 UTC by default): each due profile''s latest posts are fetched, then embedded and classified.',
   'sync'),
  ('00000000-0000-4000-8000-000000000202', 'Can I use Tributary without an OpenAI key?',
   'Yes. Without OPENAI_API_KEY a local embedding model bundled with the application is used.',
   'setup')
ON CONFLICT DO NOTHING;

INSERT INTO twitter_zones (id, name, description, query) VALUES
  ('00000000-0000-4000-8000-000000000301', 'Synthetic zone', 'Synthetic zone watching SaaS pricing talk', 'saas pricing')
ON CONFLICT DO NOTHING;

INSERT INTO twitter_tweets (id, tweet_id, zone_id, author_id, author_username, author_name, text, url,
                            twitter_created_at, retweet_count, reply_count, like_count, quote_count, view_count, bookmark_count) VALUES
  ('00000000-0000-4000-8000-000000000401', '1000000000000000001', '00000000-0000-4000-8000-000000000301',
   '900000000000000001', 'synthetic_creator', 'Synthetic Creator 1',
   'Synthetic tweet: the cheapest plan is where your support costs hide.', 'https://x.invalid/synthetic_creator/status/1000000000000000001',
   now() - interval '2 hours', 14, 6, 120, 3, 5400, 9)
ON CONFLICT DO NOTHING;

INSERT INTO twitter_engagement_tracking (id, tweet_db_id, tier, next_update_at, initial_engagement) VALUES
  ('00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000401', 'ultra_hot', now(), 143)
ON CONFLICT DO NOTHING;
