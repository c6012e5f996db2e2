CREATE TABLE "daily_reminders" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mail_id" uuid,
	"webhook_status" text DEFAULT 'none' NOT NULL,
	"webhook_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_reminders_user_id_day_pk" PRIMARY KEY("user_id","day"),
	CONSTRAINT "daily_reminders_webhook_status" CHECK ("daily_reminders"."webhook_status" in ('none', 'queued', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_login_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_active_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "daily_reminders" ADD CONSTRAINT "daily_reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_reminders" ADD CONSTRAINT "daily_reminders_mail_id_outbound_mails_id_fk" FOREIGN KEY ("mail_id") REFERENCES "public"."outbound_mails"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "daily_reminders_day" ON "daily_reminders" USING btree ("day");