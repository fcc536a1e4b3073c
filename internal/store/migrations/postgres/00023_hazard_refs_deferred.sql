-- +goose Up
-- A hazard reported on PostgreSQL is inserted with the other rows its
-- transaction keeps, just before the commit (store.Rows, Tx.AddID): the
-- rows that name it — its history, its photos — may come first, so the
-- references to hazards are checked at the commit, not at each statement.
ALTER TABLE hazard_history ALTER CONSTRAINT hazard_history_hazard_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hazard_photos ALTER CONSTRAINT hazard_photos_hazard_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hazard_listings ALTER CONSTRAINT hazard_listings_hazard_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hazard_escalations ALTER CONSTRAINT hazard_escalations_hazard_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hazard_opinions ALTER CONSTRAINT hazard_opinions_hazard_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- +goose Down
ALTER TABLE hazard_history ALTER CONSTRAINT hazard_history_hazard_id_fkey NOT DEFERRABLE;
ALTER TABLE hazard_photos ALTER CONSTRAINT hazard_photos_hazard_id_fkey NOT DEFERRABLE;
ALTER TABLE hazard_listings ALTER CONSTRAINT hazard_listings_hazard_id_fkey NOT DEFERRABLE;
ALTER TABLE hazard_escalations ALTER CONSTRAINT hazard_escalations_hazard_id_fkey NOT DEFERRABLE;
ALTER TABLE hazard_opinions ALTER CONSTRAINT hazard_opinions_hazard_id_fkey NOT DEFERRABLE;
