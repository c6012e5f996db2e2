import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { adRequests, campaigns, users } from '../schema/index.js';
import type { Actor } from '../../lib/actor.js';
import type { AdRequestsService } from '../../modules/ad-requests/ad-requests.service.js';
import type { ReviewsService } from '../../modules/reviews/reviews.service.js';

type Said = { rating: number; comment?: string };

/**
 * Reviews of completed deals, so profiles show ratings and the directory's rating sort has
 * something to sort: three more deals completed through the service, and on the completed deals
 * both parties' reviews (published at once, as the second one publishes both) except the last,
 * where only the sponsor has reviewed (private until the influencer does or the window closes).
 */
const REVIEWS: { sponsor?: Said; influencer?: Said }[] = [
  {
    sponsor: { rating: 5, comment: 'Tagged us as asked and the carousel did great. Would book again.' },
    influencer: { rating: 5, comment: 'Clear brief, quick feedback, paid on time.' },
  },
  {
    sponsor: { rating: 4, comment: 'Solid video; delivered a day late but told us early.' },
    influencer: { rating: 5, comment: 'Friendly team and a product I actually use.' },
  },
  {
    sponsor: { rating: 5, comment: 'Our best-performing short this quarter.' },
    influencer: { rating: 3, comment: 'Good brief, but three rounds of changes for one short.' },
  },
  { sponsor: { rating: 4, comment: 'Nice stories, good engagement.' } },
];

export async function loadDemoReviews(db: Db, deals: AdRequestsService, reviews: ReviewsService): Promise<number> {
  const running = await db
    .select({ id: campaigns.id, sponsorId: campaigns.sponsorId })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.visibility, 'public'),
        sql`${campaigns.startDate} <= (now() at time zone 'utc')::date and ${campaigns.endDate} >= (now() at time zone 'utc')::date`,
      ),
    )
    .orderBy(asc(campaigns.createdAt));
  const influencers = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.role, 'influencer'))
    .orderBy(asc(users.createdAt));
  if (running.length === 0 || influencers.length < 4) return 0;
  // Not on the first demo sponsor's campaigns: its conversations (and so which creator the
  // accessibility journey signs in as) stay as the scripted deals and messages left them.
  const others = running.filter((c) => c.sponsorId !== running[0]!.sponsorId);
  const pool = others.length > 0 ? others : running;

  // Three more completed deals, with influencers the scripted deals use less.
  for (const i of [1, 2, 3]) {
    const campaign = pool[i % pool.length]!;
    const sponsor: Actor = { id: campaign.sponsorId, role: 'sponsor', status: 'active', flagged: false };
    const influencer: Actor = {
      id: influencers[(i * 3) % influencers.length]!.id,
      role: 'influencer',
      status: 'active',
      flagged: false,
    };
    const opened = await deals.create(sponsor, {
      campaignId: campaign.id,
      influencerId: influencer.id,
      requirements: 'One post and two stories.',
      paymentCents: 50_000 + i * 10_000,
    });
    await deals.act(influencer, opened.id, 'accept');
    await deals.act(influencer, opened.id, 'deliver', { deliverableUrl: `https://example.com/posts/demo-${i}` });
    await deals.act(sponsor, opened.id, 'complete');
  }

  const completed = await db
    .select({ id: adRequests.id, sponsorId: adRequests.sponsorId, influencerId: adRequests.influencerId })
    .from(adRequests)
    .where(eq(adRequests.status, 'completed'))
    .orderBy(asc(adRequests.createdAt));
  let written = 0;
  for (const [i, said] of REVIEWS.entries()) {
    const deal = completed[i];
    if (!deal) break;
    if (said.sponsor) {
      await reviews.submit(
        { id: deal.sponsorId, role: 'sponsor', status: 'active', flagged: false },
        deal.id,
        said.sponsor,
      );
      written += 1;
    }
    if (said.influencer) {
      await reviews.submit(
        { id: deal.influencerId, role: 'influencer', status: 'active', flagged: false },
        deal.id,
        said.influencer,
      );
      written += 1;
    }
  }
  return written;
}
