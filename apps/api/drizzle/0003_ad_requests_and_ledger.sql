CREATE TYPE "public"."ad_request_action" AS ENUM('create', 'edit', 'counter', 'accept', 'reject', 'withdraw', 'deliver', 'request_revision', 'complete', 'cancel', 'expire', 'auto_complete', 'delete');--> statement-breakpoint
CREATE TYPE "public"."ad_request_status" AS ENUM('pending', 'negotiating', 'accepted', 'delivered', 'completed', 'rejected', 'withdrawn', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "public"."ledger_kind" AS ENUM('reserve', 'release', 'refund');--> statement-breakpoint
CREATE TYPE "public"."party" AS ENUM('sponsor', 'influencer');--> statement-breakpoint
CREATE TABLE "ad_request_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ad_request_id" uuid NOT NULL,
	"actor_id" uuid,
	"action" "ad_request_action" NOT NULL,
	"from_status" "ad_request_status",
	"to_status" "ad_request_status" NOT NULL,
	"payment_cents" bigint NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_request_offers" (
	"ad_request_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"by" "party" NOT NULL,
	"payment_cents" bigint NOT NULL,
	"requirements" text NOT NULL,
	"message" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_request_offers_ad_request_id_version_pk" PRIMARY KEY("ad_request_id","version"),
	CONSTRAINT "offers_payment_positive" CHECK ("ad_request_offers"."payment_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "ad_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"influencer_id" uuid NOT NULL,
	"status" "ad_request_status" NOT NULL,
	"initiated_by" "party" NOT NULL,
	"awaiting_party" "party",
	"offer_version" integer DEFAULT 1 NOT NULL,
	"payment_cents" bigint NOT NULL,
	"requirements" text DEFAULT '' NOT NULL,
	"deliverable_url" text,
	"delivery_note" text,
	"status_changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_requests_payment_positive" CHECK ("ad_requests"."payment_cents" > 0),
	CONSTRAINT "ad_requests_awaiting" CHECK (("ad_requests"."status" in ('pending', 'negotiating')) = ("ad_requests"."awaiting_party" is not null))
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "ledger_kind" NOT NULL,
	"amount_cents" bigint NOT NULL,
	"campaign_id" uuid NOT NULL,
	"ad_request_id" uuid NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"influencer_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_amount_positive" CHECK ("transactions"."amount_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "ad_request_events" ADD CONSTRAINT "ad_request_events_ad_request_id_ad_requests_id_fk" FOREIGN KEY ("ad_request_id") REFERENCES "public"."ad_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_request_events" ADD CONSTRAINT "ad_request_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_request_offers" ADD CONSTRAINT "ad_request_offers_ad_request_id_ad_requests_id_fk" FOREIGN KEY ("ad_request_id") REFERENCES "public"."ad_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_requests" ADD CONSTRAINT "ad_requests_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_requests" ADD CONSTRAINT "ad_requests_sponsor_id_users_id_fk" FOREIGN KEY ("sponsor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_requests" ADD CONSTRAINT "ad_requests_influencer_id_users_id_fk" FOREIGN KEY ("influencer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_ad_request_id_ad_requests_id_fk" FOREIGN KEY ("ad_request_id") REFERENCES "public"."ad_requests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_sponsor_id_users_id_fk" FOREIGN KEY ("sponsor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_influencer_id_users_id_fk" FOREIGN KEY ("influencer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ad_request_events_request_idx" ON "ad_request_events" USING btree ("ad_request_id","created_at");--> statement-breakpoint
CREATE INDEX "ad_requests_sponsor_idx" ON "ad_requests" USING btree ("sponsor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ad_requests_influencer_idx" ON "ad_requests" USING btree ("influencer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ad_requests_campaign_idx" ON "ad_requests" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "ad_requests_status_changed_idx" ON "ad_requests" USING btree ("status","status_changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_requests_one_open_per_pair" ON "ad_requests" USING btree ("campaign_id","influencer_id") WHERE status in ('pending', 'negotiating', 'accepted', 'delivered');--> statement-breakpoint
CREATE INDEX "transactions_sponsor_idx" ON "transactions" USING btree ("sponsor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "transactions_influencer_idx" ON "transactions" USING btree ("influencer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "transactions_campaign_idx" ON "transactions" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "transactions_ad_request_idx" ON "transactions" USING btree ("ad_request_id");--> statement-breakpoint
-- The ledger and the offer history are append-only: no code path, and no bug, can rewrite them.
CREATE FUNCTION refuse_change_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_change_trg();--> statement-breakpoint
CREATE TRIGGER ad_request_offers_append_only BEFORE UPDATE ON ad_request_offers
  FOR EACH ROW EXECUTE FUNCTION refuse_change_trg();
