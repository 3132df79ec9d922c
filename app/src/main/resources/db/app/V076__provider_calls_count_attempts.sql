-- twitter_provider_calls.calls counts HTTP requests sent, retries included: what the vendor bills.
COMMENT ON COLUMN twitter_provider_calls.calls IS
  'HTTP requests sent to the provider that UTC day, retries included';
