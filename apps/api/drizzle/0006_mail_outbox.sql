CREATE TABLE "outbound_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"dedupe_key" text NOT NULL,
	"claimed_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone,
	CONSTRAINT "outbound_mails_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "outbound_mails_status" CHECK ("outbound_mails"."status" in ('queued', 'sent', 'failed')),
	CONSTRAINT "outbound_mails_attempts" CHECK ("outbound_mails"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "chat_webhook_url" text;--> statement-breakpoint
ALTER TABLE "outbound_mails" ADD CONSTRAINT "outbound_mails_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_mails_newest" ON "outbound_mails" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbound_mails_status_newest" ON "outbound_mails" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);