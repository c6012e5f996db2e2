import { asc } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversations } from '../schema/index.js';
import type { AppEvents } from '../../events.js';
import type { ConversationsService } from '../../modules/messaging/conversations.service.js';

/** Short exchanges, alternating sponsor and influencer, added after the deals' event messages. */
const EXCHANGES: string[][] = [
  [
    'Hi! Thanks for looking at the brief. Any questions before you decide?',
    'Hi, thanks for reaching out! Could the reel go live on a weekend? My audience is most active then.',
    'Saturday morning works for us. We can send the product by Wednesday.',
    'Perfect, I will watch for the delivery.',
  ],
  [
    'Your application looks great. Do you have recent results from a similar campaign?',
    'Yes: my last product review reached 48k accounts with a 6.1% engagement rate. Happy to share the insights.',
  ],
  ['Looking forward to working together!', 'Same here. I will share a draft before posting.'],
];

/** Loads a few chat exchanges into the demo's first conversations, through the real append path. */
export async function loadDemoMessages(db: Db, events: AppEvents, chat: ConversationsService): Promise<number> {
  const pairs = await db.select().from(conversations).orderBy(asc(conversations.createdAt)).limit(EXCHANGES.length);
  let made = 0;
  for (const [i, pair] of pairs.entries()) {
    // Nobody is connected while the demo loads: the pushes reach no one.
    await events.transaction(async (scope) => {
      for (const [j, body] of EXCHANGES[i]!.entries()) {
        const senderId = j % 2 === 0 ? pair.sponsorId : pair.influencerId;
        await chat.postToPair(scope, pair, { senderId, kind: 'text', body });
        made += 1;
      }
    });
  }
  return made;
}
