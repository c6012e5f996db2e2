import { sql } from 'drizzle-orm';
import { campaigns } from './schema/index.js';

/**
 * SQL expressions over the schema that more than one repository reads. A campaign's status is
 * derived from its dates (never stored), judged by the UTC calendar day.
 */
export const utcToday = sql`(now() at time zone 'utc')::date`;

export const campaignStatus = sql<
  'upcoming' | 'active' | 'ended'
>`case when ${campaigns.startDate} > ${utcToday} then 'upcoming' when ${campaigns.endDate} < ${utcToday} then 'ended' else 'active' end`;
