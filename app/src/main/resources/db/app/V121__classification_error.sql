-- A post the classifier gave no usable answer for, after asking for it alone, is not retried
-- forever and does not hold back its batch: its flag is cleared and the reason kept here. Setting
-- the flag again (needs_*_classification = true) asks once more; a later success clears it.
ALTER TABLE viral_posts_bank ADD COLUMN classification_error text;
