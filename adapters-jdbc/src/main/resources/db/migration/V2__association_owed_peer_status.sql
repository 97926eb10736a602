-- The final sync status a primary association still owes the peer's copy (a lost call at the end
-- of a sync, or a restart that ended one); null when nothing is owed. See docs/adr/0011.
ALTER TABLE geored_association ADD COLUMN owed_peer_status VARCHAR(32);
