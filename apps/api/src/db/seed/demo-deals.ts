import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaigns, users } from '../schema/index.js';
import type { AdRequestAction } from '@iescp/shared';
import type { Actor } from '../../lib/actor.js';
import type { ActionInput, AdRequestsService } from '../../modules/ad-requests/ad-requests.service.js';

type Step = [by: 'sponsor' | 'influencer' | 'system', action: AdRequestAction, input?: ActionInput];

/** One scripted deal per status, so every screen has something real to show. */
const SCRIPTS: { open: 'invite' | 'apply'; payment: number; requirements: string; steps: Step[] }[] = [
  {
    open: 'invite',
    payment: 120_000,
    requirements: 'One reel (30–60 s) and two stories, link in bio for 7 days.',
    steps: [],
  },
  {
    open: 'apply',
    payment: 90_000,
    requirements: 'A dedicated post with three photos and an honest caption.',
    steps: [],
  },
  {
    open: 'invite',
    payment: 150_000,
    requirements: 'A 60-second review video and a pinned comment with the discount code.',
    steps: [['influencer', 'counter', { paymentCents: 180_000, message: 'My rate for a dedicated video is $1,800.' }]],
  },
  {
    open: 'invite',
    payment: 200_000,
    requirements: 'Two reels over two weeks, usage rights for 30 days.',
    steps: [
      ['influencer', 'counter', { paymentCents: 240_000, message: 'Usage rights add 20%.' }],
      ['sponsor', 'accept'],
    ],
  },
  {
    open: 'apply',
    payment: 110_000,
    requirements: 'A YouTube short featuring the product in the first 5 seconds.',
    steps: [
      ['sponsor', 'accept'],
      [
        'influencer',
        'deliver',
        { deliverableUrl: 'https://example.com/posts/short-1', note: 'Live since this morning.' },
      ],
    ],
  },
  {
    open: 'invite',
    payment: 80_000,
    requirements: 'One carousel post with five slides.',
    steps: [
      ['influencer', 'accept'],
      ['influencer', 'deliver', { deliverableUrl: 'https://example.com/posts/carousel-7' }],
      ['sponsor', 'request_revision', { note: 'Please tag our account on the first slide.' }],
      ['influencer', 'deliver', { deliverableUrl: 'https://example.com/posts/carousel-7', note: 'Tag added.' }],
      ['sponsor', 'complete'],
    ],
  },
  {
    open: 'apply',
    payment: 300_000,
    requirements: 'A full sponsored video.',
    steps: [['sponsor', 'reject', { message: 'Beyond our budget this quarter.' }]],
  },
  { open: 'invite', payment: 70_000, requirements: 'Three stories.', steps: [['sponsor', 'withdraw']] },
  {
    open: 'invite',
    payment: 95_000,
    requirements: 'One reel at the launch event.',
    steps: [
      ['influencer', 'accept'],
      ['influencer', 'cancel', { reason: 'The event moved to a date I am travelling.' }],
    ],
  },
  { open: 'invite', payment: 60_000, requirements: 'Two stories in the first week.', steps: [['system', 'expire']] },
];

/**
 * Ad requests in every status, made through the real service (so offers, events and ledger
 * rows match), between the approved demo sponsors' running campaigns and the demo influencers.
 */
export async function loadDemoDeals(db: Db, service: AdRequestsService): Promise<number> {
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
  if (running.length === 0 || influencers.length === 0) return 0;

  let made = 0;
  for (const [i, script] of SCRIPTS.entries()) {
    const campaign = running[i % running.length]!;
    const sponsor: Actor = { id: campaign.sponsorId, role: 'sponsor', status: 'active', flagged: false };
    const influencer: Actor = {
      id: influencers[i % influencers.length]!.id,
      role: 'influencer',
      status: 'active',
      flagged: false,
    };
    const opened =
      script.open === 'invite'
        ? await service.create(sponsor, {
            campaignId: campaign.id,
            influencerId: influencer.id,
            requirements: script.requirements,
            paymentCents: script.payment,
            message: 'We love your content and think this is a great fit.',
          })
        : await service.create(influencer, {
            campaignId: campaign.id,
            requirements: script.requirements,
            paymentCents: script.payment,
            message: 'I would love to work on this campaign.',
          });
    for (const [by, action, input] of script.steps) {
      // Due at once: an interval of -1 day puts the deadline in the future.
      if (by === 'system') await service.actAsSystem(opened.id, { action: action as 'expire', days: -1 });
      else await service.act(by === 'sponsor' ? sponsor : influencer, opened.id, action, input ?? {});
    }
    made += 1;
  }
  return made;
}
