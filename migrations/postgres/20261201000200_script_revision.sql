-- A script's revision: one more on every change (every write that moves `updated_at`), so an
-- editor can say which state its text started from and a save over a newer state is refused
-- instead of silently reverting it.
ALTER TABLE scripts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
