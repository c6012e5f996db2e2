import { sql } from 'drizzle-orm';
import type { Niche, Platform } from '@iescp/shared';
import type { Config } from '../../config.js';
import type { Db, Tx } from '../client.js';
import { users } from '../schema/index.js';
import { hashPassword } from '../../lib/passwords.js';
import { accountsRepository as repo } from '../../modules/accounts/accounts.repository.js';
import { campaignsRepository } from '../../modules/campaigns/campaigns.repository.js';

export const DEMO_PASSWORD = 'demo-password';

interface DemoInfluencer {
  email: string;
  name: string;
  niche: Niche;
  country: string;
  bio: string;
  rateCents: number;
  engagementRate: number;
  platforms: [Platform, string, number][];
}

const SPONSORS = [
  {
    email: 'brand@glowskin.example',
    name: 'GlowSkin',
    companyName: 'GlowSkin Cosmetics',
    industry: 'Beauty & personal care',
    website: 'https://glowskin.example',
    budgetCents: 25_000_000,
    approved: true,
    bio: 'Clean, dermatologist-tested skincare made in small batches.',
  },
  {
    email: 'marketing@peakgear.example',
    name: 'PeakGear',
    companyName: 'PeakGear Outdoors',
    industry: 'Sports & outdoors',
    website: 'https://peakgear.example',
    budgetCents: 60_000_000,
    approved: true,
    bio: 'Gear for trails, crags and long weekends outside.',
  },
  {
    email: 'hello@byteforge.example',
    name: 'ByteForge',
    companyName: 'ByteForge Labs',
    industry: 'Consumer electronics',
    website: 'https://byteforge.example',
    budgetCents: 10_000_000,
    approved: false,
    bio: 'Mechanical keyboards and desk gear for people who build things.',
  },
] as const;

const INFLUENCERS: DemoInfluencer[] = [
  {
    email: 'maya@creators.example',
    name: 'Maya Lin',
    niche: 'fitness',
    country: 'US',
    bio: 'Strength coach sharing 20-minute home workouts and honest gear reviews.',
    rateCents: 120_000,
    engagementRate: 4.8,
    platforms: [
      ['instagram', '@mayalifts', 182_000],
      ['youtube', 'MayaLifts', 64_500],
    ],
  },
  {
    email: 'leo@creators.example',
    name: 'Leo Martins',
    niche: 'travel',
    country: 'PT',
    bio: 'Slow travel across Europe by train, with budgets down to the cent.',
    rateCents: 250_000,
    engagementRate: 3.1,
    platforms: [
      ['youtube', 'LeoOnRails', 410_000],
      ['instagram', '@leoonrails', 95_200],
      ['blog', 'leoonrails.example', 38_000],
    ],
  },
  {
    email: 'aisha@creators.example',
    name: 'Aisha Bello',
    niche: 'beauty',
    country: 'GB',
    bio: 'Skincare for melanin-rich skin, ingredient deep dives and routines.',
    rateCents: 180_000,
    engagementRate: 6.2,
    platforms: [
      ['tiktok', '@aishaglows', 530_000],
      ['instagram', '@aisha.glows', 121_000],
    ],
  },
  {
    email: 'kenji@creators.example',
    name: 'Kenji Watanabe',
    niche: 'tech',
    country: 'JP',
    bio: 'Desk setups, mechanical keyboards and productivity software.',
    rateCents: 300_000,
    engagementRate: 2.7,
    platforms: [
      ['youtube', 'KenjiBuilds', 890_000],
      ['x', '@kenjibuilds', 74_000],
    ],
  },
  {
    email: 'sofia@creators.example',
    name: 'Sofia Rossi',
    niche: 'food',
    country: 'IT',
    bio: 'Weeknight Italian cooking in under 30 minutes.',
    rateCents: 90_000,
    engagementRate: 5.4,
    platforms: [
      ['instagram', '@sofiacucina', 240_000],
      ['tiktok', '@sofiacucina', 310_000],
    ],
  },
  {
    email: 'marcus@creators.example',
    name: 'Marcus Reed',
    niche: 'gaming',
    country: 'US',
    bio: 'Variety streamer: indie roguelikes, speedruns and community nights.',
    rateCents: 150_000,
    engagementRate: 7.9,
    platforms: [
      ['twitch', 'marcusplays', 66_000],
      ['youtube', 'MarcusPlays', 128_000],
    ],
  },
  {
    email: 'priya@creators.example',
    name: 'Priya Nair',
    niche: 'finance',
    country: 'IN',
    bio: 'Personal finance for first jobbers: budgeting, index funds, taxes.',
    rateCents: 110_000,
    engagementRate: 3.9,
    platforms: [
      ['linkedin', 'priyanair', 58_000],
      ['youtube', 'MoneyWithPriya', 205_000],
    ],
  },
  {
    email: 'tom@creators.example',
    name: 'Tom Becker',
    niche: 'sports',
    country: 'DE',
    bio: 'Trail running, ultra training logs and race-day nutrition.',
    rateCents: 70_000,
    engagementRate: 5.1,
    platforms: [
      ['instagram', '@tomruns', 47_500],
      ['blog', 'tomruns.example', 12_000],
    ],
  },
  {
    email: 'chloe@creators.example',
    name: 'Chloé Dubois',
    niche: 'fashion',
    country: 'FR',
    bio: 'Capsule wardrobes and secondhand finds from Paris.',
    rateCents: 200_000,
    engagementRate: 4.4,
    platforms: [
      ['instagram', '@chloecapsule', 312_000],
      ['tiktok', '@chloecapsule', 145_000],
    ],
  },
  {
    email: 'sam@creators.example',
    name: 'Sam Okafor',
    niche: 'education',
    country: 'NG',
    bio: 'Math and physics explained with whiteboards and bad jokes.',
    rateCents: 60_000,
    engagementRate: 8.3,
    platforms: [
      ['youtube', 'SamExplains', 96_000],
      ['tiktok', '@samexplains', 220_000],
    ],
  },
  {
    email: 'nora@creators.example',
    name: 'Nora Jensen',
    niche: 'parenting',
    country: 'DK',
    bio: 'Toddler-proof recipes, outdoor play and calm routines.',
    rateCents: 80_000,
    engagementRate: 6.8,
    platforms: [['instagram', '@norasnest', 73_000]],
  },
  {
    email: 'diego@creators.example',
    name: 'Diego Herrera',
    niche: 'music',
    country: 'MX',
    bio: 'Guitar covers, home-studio tips and gear demos.',
    rateCents: 95_000,
    engagementRate: 5.6,
    platforms: [
      ['youtube', 'DiegoStrings', 158_000],
      ['tiktok', '@diegostrings', 402_000],
      ['instagram', '@diegostrings', 51_000],
    ],
  },
];

const CAMPAIGN_IDEAS: { name: string; niche: Niche; goals: string; description: string }[] = [
  {
    name: 'Summer glow routine',
    niche: 'beauty',
    goals: 'Reach 500k people aged 18–34 and drive 2,000 trial-kit orders.',
    description: 'Show your morning routine with our SPF serum; honest, unscripted, one reel and three stories.',
  },
  {
    name: 'Trail season launch',
    niche: 'sports',
    goals: 'Awareness for the new ultralight trail shoe line in Europe.',
    description: 'Take the Aero Trail shoes on a real run and post a review with distance, terrain and fit.',
  },
  {
    name: 'Back-to-school desk setup',
    niche: 'tech',
    goals: 'Sign-ups for the student discount programme.',
    description: 'Build a study desk around our compact keyboard and share a setup tour.',
  },
  {
    name: 'Holiday gift guide',
    niche: 'lifestyle',
    goals: 'Feature three gift sets in a seasonal guide; 1,000 clicks.',
    description: 'Include our gift sets in your holiday guide with your personal picks.',
  },
  {
    name: 'Protein breakfast challenge',
    niche: 'fitness',
    goals: 'Seven days of high-protein breakfasts with our oats.',
    description: 'A week-long challenge with daily stories and one recap video.',
  },
  {
    name: 'Weekend hiking hacks',
    niche: 'travel',
    goals: 'Grow newsletter sign-ups by 5,000.',
    description: 'Share five packing hacks using our daypack; link to the packing checklist.',
  },
  {
    name: 'Clean beauty explainer',
    niche: 'beauty',
    goals: 'Educate on ingredient lists; 20% saves rate.',
    description: 'Explain how to read an ingredient list, using our cleanser as one example.',
  },
  {
    name: 'Speedrun sponsorship',
    niche: 'gaming',
    goals: 'Brand visibility during a live speedrun event.',
    description: 'Overlay logo and two mid-stream mentions during a charity speedrun.',
  },
  {
    name: 'Capsule wardrobe autumn',
    niche: 'fashion',
    goals: 'Drive traffic to the autumn capsule collection.',
    description: 'Style five looks from ten pieces, tagging the pieces you use.',
  },
  {
    name: 'Family camping weekend',
    niche: 'parenting',
    goals: 'Position the family tent as easy to pitch.',
    description: 'Pitch the tent with your kids and film the whole thing, mishaps included.',
  },
];

/**
 * Demo data goes into an empty embedded database unless DEMO_DATA=false, and into a server
 * database only when DEMO_DATA=true: nobody's real data is ever mixed with it.
 */
export async function shouldLoadDemoData(db: Db, config: Config, kind: 'pglite' | 'postgres'): Promise<boolean> {
  if (config.DEMO_DATA === false) return false;
  if (kind === 'postgres' && config.DEMO_DATA !== true) return false;
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return (row?.n ?? 0) === 0;
}

/** Loads the data set in one transaction and returns the logins to print. */
export async function loadDemoData(db: Db) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: { role: string; email: string; password: string }[] = [];
  await db.transaction(async (tx) => {
    await repo.insertUser(tx, {
      email: 'admin@iescp.local',
      passwordHash,
      role: 'admin',
      status: 'active',
      displayName: 'Ada Admin',
    });
    logins.push({ role: 'admin', email: 'admin@iescp.local', password: DEMO_PASSWORD });
    const sponsorIds: { id: string; name: string; approved: boolean }[] = [];
    for (const s of SPONSORS) {
      const user = await repo.insertUser(tx, {
        email: s.email,
        passwordHash,
        role: 'sponsor',
        status: s.approved ? 'active' : 'pending_approval',
        approvedAt: s.approved ? new Date() : null,
        displayName: s.name,
      });
      await repo.insertSponsorProfile(tx, {
        userId: user.id,
        companyName: s.companyName,
        industry: s.industry,
        website: s.website,
        bio: s.bio,
        budgetCents: s.budgetCents,
      });
      sponsorIds.push({ id: user.id, name: s.name, approved: s.approved });
      logins.push({ role: s.approved ? 'sponsor' : 'sponsor (pending)', email: s.email, password: DEMO_PASSWORD });
    }
    for (const i of INFLUENCERS) {
      const user = await repo.insertUser(tx, {
        email: i.email,
        passwordHash,
        role: 'influencer',
        status: 'active',
        displayName: i.name,
      });
      await repo.insertInfluencerProfile(tx, {
        userId: user.id,
        bio: i.bio,
        niche: i.niche,
        country: i.country,
        rateCents: i.rateCents,
        engagementRate: i.engagementRate,
      });
      await repo.replacePlatforms(
        tx,
        user.id,
        i.platforms.map(([platform, handle, followers]) => ({ platform, handle, followers })),
      );
    }
    await insertDemoCampaigns(tx, sponsorIds);
    logins.push({
      role: 'influencer',
      email: INFLUENCERS[0]!.email,
      password: `${DEMO_PASSWORD} (all ${INFLUENCERS.length} *@creators.example)`,
    });
  });
  return logins;
}

/**
 * About 30 campaigns across niches, public and private, past, current and upcoming, for the
 * approved sponsors (a pending sponsor cannot publish). Dates are relative to today.
 */
async function insertDemoCampaigns(tx: Tx, sponsors: { id: string; name: string; approved: boolean }[]) {
  const day = 86_400_000;
  const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
  // [start, end] in days from today: ended, running and upcoming campaigns.
  const windows: [number, number][] = [
    [-120, -30],
    [-20, 40],
    [-5, 90],
    [10, 70],
    [30, 120],
    [-60, 15],
  ];
  let offset = 0;
  for (const sponsor of sponsors.filter((s) => s.approved)) {
    for (let i = 0; i < 15; i++) {
      const idea = CAMPAIGN_IDEAS[(i + offset) % CAMPAIGN_IDEAS.length]!;
      const [start, end] = windows[i % windows.length]!;
      const wave = Math.floor(i / CAMPAIGN_IDEAS.length);
      await campaignsRepository.insert(tx, {
        sponsorId: sponsor.id,
        name: wave === 0 ? idea.name : `${idea.name}, wave ${wave + 1}`,
        description: idea.description,
        goals: idea.goals,
        niche: idea.niche,
        startDate: iso(start),
        endDate: iso(end),
        budgetCents: (5 + ((i * 7) % 40)) * 100_000,
        visibility: i % 4 === 3 ? 'private' : 'public',
      });
    }
    offset += 5;
  }
}
