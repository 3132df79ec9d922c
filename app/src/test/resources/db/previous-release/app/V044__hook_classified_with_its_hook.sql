-- An UPDATE that stores a hook together with that hook's classification (the embedding worker does
-- both from one pass of the local model, see InlineClassification) has nothing left to classify:
-- the seed's trigger flagged every new hook for classification, so the post was classified a second
-- time. A new hook with an unchanged hook_type_id is still flagged, as before; everything else is
-- the V026 function unchanged.
CREATE OR REPLACE FUNCTION trigger_process_hook_extracted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(btrim(NEW.hook), '') <> '' AND NEW.hook IS DISTINCT FROM OLD.hook THEN
    NEW.needs_hook_extraction         := false;
    NEW.hook_extraction_locked_at     := NULL;
    IF NEW.hook_type_id IS NOT DISTINCT FROM OLD.hook_type_id THEN
      NEW.needs_hook_classification   := true;
    END IF;
    NEW.needs_topic_classification    := NEW.needs_topic_classification OR NEW.topic_id IS NULL;
    NEW.needs_audience_classification := NEW.needs_audience_classification OR NEW.audience_id IS NULL;
  END IF;
  IF NEW.content IS DISTINCT FROM OLD.content AND NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
    NEW.needs_embedding := true;
  END IF;
  RETURN NEW;
END;
$$;
