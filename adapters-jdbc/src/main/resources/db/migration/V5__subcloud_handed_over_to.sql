-- The site a rehome-pending subcloud was handed over to (its uuid), so that a second migration of
-- the group, on another site, is refused the subcloud while the first one still holds it
-- (docs/adr/0030). Null for every other deploy status.
ALTER TABLE geored_subcloud ADD COLUMN handed_over_to VARCHAR(255);
