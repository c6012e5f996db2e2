CREATE TYPE "public"."campaign_visibility" AS ENUM('public', 'private');--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"niche" "niche" NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"budget_cents" bigint NOT NULL,
	"reserved_cents" bigint DEFAULT 0 NOT NULL,
	"spent_cents" bigint DEFAULT 0 NOT NULL,
	"visibility" "campaign_visibility" NOT NULL,
	"flagged" boolean DEFAULT false NOT NULL,
	"flag_reason" text,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce("campaigns"."name", '')), 'A') || setweight(to_tsvector('simple', coalesce("campaigns"."goals", '')), 'B') || setweight(to_tsvector('simple', coalesce("campaigns"."description", '')), 'C')) STORED NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_budget_positive" CHECK ("campaigns"."budget_cents" > 0),
	CONSTRAINT "campaigns_money_nonneg" CHECK ("campaigns"."reserved_cents" >= 0 and "campaigns"."spent_cents" >= 0),
	CONSTRAINT "campaigns_not_overspent" CHECK ("campaigns"."reserved_cents" + "campaigns"."spent_cents" <= "campaigns"."budget_cents"),
	CONSTRAINT "campaigns_dates" CHECK ("campaigns"."end_date" >= "campaigns"."start_date"),
	CONSTRAINT "campaigns_flag_reason" CHECK ("campaigns"."flagged" = false or "campaigns"."flag_reason" is not null)
);
--> statement-breakpoint
DROP INDEX "influencer_platforms_platform_idx";--> statement-breakpoint
ALTER TABLE "influencer_profiles" ADD COLUMN "search" "tsvector";--> statement-breakpoint
ALTER TABLE "influencer_profiles" ADD COLUMN "rating_avg" numeric(3, 2);--> statement-breakpoint
ALTER TABLE "influencer_profiles" ADD COLUMN "rating_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_sponsor_id_users_id_fk" FOREIGN KEY ("sponsor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_search_idx" ON "campaigns" USING gin ("search");--> statement-breakpoint
CREATE INDEX "campaigns_sponsor_created_idx" ON "campaigns" USING btree ("sponsor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "campaigns_created_idx" ON "campaigns" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "campaigns_budget_idx" ON "campaigns" USING btree ("budget_cents","id");--> statement-breakpoint
CREATE INDEX "campaigns_end_date_idx" ON "campaigns" USING btree ("end_date","id");--> statement-breakpoint
CREATE INDEX "campaigns_niche_created_idx" ON "campaigns" USING btree ("niche","created_at","id");--> statement-breakpoint
CREATE INDEX "influencer_search_idx" ON "influencer_profiles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "influencer_reach_idx" ON "influencer_profiles" USING btree ("reach","user_id");--> statement-breakpoint
CREATE INDEX "influencer_niche_reach_idx" ON "influencer_profiles" USING btree ("niche","reach");--> statement-breakpoint
CREATE INDEX "influencer_platforms_platform_idx" ON "influencer_platforms" USING btree ("platform","user_id");--> statement-breakpoint
-- The influencer search document spans users, influencer_profiles and influencer_platforms, so
-- triggers keep it current whichever of them changes; no code path can forget to.
CREATE FUNCTION influencer_search_document(p_user_id uuid, p_bio text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce((SELECT display_name FROM users WHERE id = p_user_id), '')), 'A')
      || setweight(to_tsvector('simple', coalesce((SELECT string_agg(handle, ' ') FROM influencer_platforms WHERE user_id = p_user_id), '')), 'A')
      || setweight(to_tsvector('simple', coalesce(p_bio, '')), 'B')
$$;--> statement-breakpoint
CREATE FUNCTION influencer_profiles_search_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := influencer_search_document(NEW.user_id, NEW.bio);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER influencer_profiles_search BEFORE INSERT OR UPDATE ON influencer_profiles
  FOR EACH ROW EXECUTE FUNCTION influencer_profiles_search_trg();--> statement-breakpoint
CREATE FUNCTION influencer_search_touch_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    target := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    target := OLD.user_id;
  ELSE
    target := NEW.user_id;
  END IF;
  UPDATE influencer_profiles SET search = NULL WHERE user_id = target;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER influencer_platforms_search AFTER INSERT OR UPDATE OR DELETE ON influencer_platforms
  FOR EACH ROW EXECUTE FUNCTION influencer_search_touch_trg();--> statement-breakpoint
CREATE TRIGGER users_display_name_search AFTER UPDATE OF display_name ON users
  FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION influencer_search_touch_trg();--> statement-breakpoint
UPDATE influencer_profiles SET search = NULL;
