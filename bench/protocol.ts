/** Messages between run.ts (load generator, reporter) and server.ts (the process under load). */

export interface Captured {
  text: string;
  values: unknown[];
}

export type ToChild =
  | {
      type: 'start';
      databaseUrl: string;
      redisUrl: string;
      poolSize: number | undefined;
      influencerId: string;
      sponsorId: string;
    }
  | { type: 'capture'; id: number; path: string; as: 'influencer' | 'sponsor' }
  | { type: 'bare'; body: string }
  | { type: 'close' };

export type ToParent =
  | {
      type: 'ready';
      appUrl: string;
      tokens: Record<'influencer' | 'sponsor', string>;
      redisKeyPrefix: string;
      poolSize: number;
    }
  | { type: 'captured'; id: number; status: number; xCache: string; body: string; statements: Captured[] }
  | { type: 'bare-ready'; url: string; bytes: number }
  | { type: 'closed'; deletedKeys: number }
  | { type: 'error'; message: string };
