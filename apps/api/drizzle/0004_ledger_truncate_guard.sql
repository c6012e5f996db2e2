-- Append-only also against whole-table removal and against deleting offer history rows.
CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_trg();--> statement-breakpoint
CREATE TRIGGER ad_request_offers_no_delete BEFORE DELETE ON ad_request_offers
  FOR EACH ROW EXECUTE FUNCTION refuse_change_trg();--> statement-breakpoint
CREATE TRIGGER ad_request_offers_no_truncate BEFORE TRUNCATE ON ad_request_offers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_trg();
