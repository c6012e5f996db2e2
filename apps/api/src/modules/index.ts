import { accountsModule } from './accounts/accounts.module.js';
import { adRequestsModule } from './ad-requests/ad-requests.module.js';
import { auditModule } from './audit/audit.module.js';
import { campaignsModule } from './campaigns/campaigns.module.js';
import { directoryModule } from './directory/directory.module.js';
import { jobsModule } from './jobs/jobs.module.js';
import { ledgerModule } from './ledger/ledger.module.js';
import { messagingModule } from './messaging/messaging.module.js';
import { mailModule } from './mail/mail.module.js';
import type { AppModule } from './module.js';
import { notificationsModule } from './notifications/notifications.module.js';
import { remindersModule } from './reminders/reminders.module.js';
import { reviewsModule } from './reviews/reviews.module.js';
import { systemModule } from './system/system.module.js';

/**
 * Every feature module, each registered once. Setup follows each module's `needs`; routes and
 * shared schemas follow this order, which is the order of the OpenAPI document (and so of the
 * generated client): append new modules at the end.
 */
export const MODULES: readonly AppModule[] = [
  systemModule,
  accountsModule,
  auditModule,
  campaignsModule,
  directoryModule,
  adRequestsModule,
  ledgerModule,
  messagingModule,
  notificationsModule,
  mailModule,
  remindersModule,
  jobsModule,
  reviewsModule,
];
