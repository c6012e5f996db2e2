/**
 * The ad-request state machine: one table read by the server's service and policy and by the
 * web app, so the rules exist exactly once (API.md, "Ad requests").
 */
export const AD_REQUEST_STATUSES = [
  'pending',
  'negotiating',
  'accepted',
  'delivered',
  'completed',
  'rejected',
  'withdrawn',
  'cancelled',
  'expired',
] as const;
export type AdRequestStatus = (typeof AD_REQUEST_STATUSES)[number];

/** No action leaves these states (delete only hides some of them from lists). */
export const TERMINAL_STATUSES: readonly AdRequestStatus[] = [
  'completed',
  'rejected',
  'withdrawn',
  'cancelled',
  'expired',
];

export const PARTIES = ['sponsor', 'influencer'] as const;
export type Party = (typeof PARTIES)[number];

export const AD_REQUEST_ACTIONS = [
  'edit',
  'counter',
  'accept',
  'reject',
  'withdraw',
  'deliver',
  'request_revision',
  'complete',
  'cancel',
  'expire',
  'auto_complete',
  'delete',
] as const;
export type AdRequestAction = (typeof AD_REQUEST_ACTIONS)[number];

/**
 * Who may take an action:
 * - `awaiting`: the party the latest offer waits for (never the one who made it);
 * - `initiator`: the party who opened the request, and only before any counter-offer;
 * - `either`: both parties; `sponsor` / `influencer`: that party; `system`: scheduled jobs only.
 */
export type ActorRule = 'awaiting' | 'initiator' | 'either' | Party | 'system';

export interface Transition {
  from: readonly AdRequestStatus[];
  /** The status afterwards; `null` keeps the status (edit) or removes the row from lists (delete). */
  to: AdRequestStatus | null;
  who: ActorRule;
  /** Money that moves with the transition, in the ledger's terms. */
  money?: 'reserve' | 'release' | 'refund';
}

export const AD_REQUEST_TRANSITIONS: Record<AdRequestAction, Transition> = {
  edit: { from: ['pending'], to: null, who: 'initiator' },
  counter: { from: ['pending', 'negotiating'], to: 'negotiating', who: 'awaiting' },
  accept: { from: ['pending', 'negotiating'], to: 'accepted', who: 'awaiting', money: 'reserve' },
  reject: { from: ['pending', 'negotiating'], to: 'rejected', who: 'awaiting' },
  withdraw: { from: ['pending', 'negotiating'], to: 'withdrawn', who: 'either' },
  deliver: { from: ['accepted'], to: 'delivered', who: 'influencer' },
  request_revision: { from: ['delivered'], to: 'accepted', who: 'sponsor' },
  complete: { from: ['delivered'], to: 'completed', who: 'sponsor', money: 'release' },
  cancel: { from: ['accepted'], to: 'cancelled', who: 'either', money: 'refund' },
  expire: { from: ['pending', 'negotiating'], to: 'expired', who: 'system' },
  auto_complete: { from: ['delivered'], to: 'completed', who: 'system', money: 'release' },
  delete: { from: ['pending', 'rejected', 'withdrawn', 'expired'], to: null, who: 'sponsor' },
};

/** What the rules need to know about one ad request. */
export interface AdRequestFacts {
  status: AdRequestStatus;
  awaitingParty: Party | null;
  initiatedBy: Party;
}

/** Whether `actor` may take `action` on a request in this state, per the table. */
export function canAct(action: AdRequestAction, actor: Party | 'system', facts: AdRequestFacts): boolean {
  const t = AD_REQUEST_TRANSITIONS[action];
  if (!t.from.includes(facts.status)) return false;
  switch (t.who) {
    case 'system':
      return actor === 'system';
    case 'either':
      return actor !== 'system';
    case 'awaiting':
      return actor !== 'system' && facts.awaitingParty === actor;
    case 'initiator':
      // `pending` means no counter-offer yet: every counter moves the request to `negotiating`.
      return actor === facts.initiatedBy;
    default:
      return actor === t.who;
  }
}

/** The actions a party may take now, for the `abilities` the server sends with each request. */
export function abilitiesOf(actor: Party, facts: AdRequestFacts): Record<AdRequestAction, boolean> {
  return Object.fromEntries(AD_REQUEST_ACTIONS.map((a) => [a, canAct(a, actor, facts)])) as Record<
    AdRequestAction,
    boolean
  >;
}

export const otherParty = (party: Party): Party => (party === 'sponsor' ? 'influencer' : 'sponsor');

/** The actions that move a deal on (not leaving it, housekeeping, or the system's timers). */
const NEXT_STEP_ACTIONS: readonly AdRequestAction[] = [
  'accept',
  'reject',
  'counter',
  'deliver',
  'request_revision',
  'complete',
];

/**
 * Whose turn it is: the one party who can move the deal on now (answer an offer, deliver the
 * work, approve it), or null when nobody is waited for (a closed deal). Daily reminders read it.
 */
export function partyToAct(facts: AdRequestFacts): Party | null {
  const able = PARTIES.filter((p) => NEXT_STEP_ACTIONS.some((a) => canAct(a, p, facts)));
  return able.length === 1 ? able[0]! : null;
}
