import type { Party } from '@iescp/shared';
import { REALTIME_EVENTS } from '@iescp/shared';
import type { Db } from '../../db/client.js';
import type { AppEvents, AppScope } from '../../events.js';
import type { Actor } from '../../lib/actor.js';
import { conflict, notFound, sponsorNotApproved, validationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { decodeKeyset, keysetPage } from '../../lib/pagination.js';
import type { RateLimits } from '../../plugins/rate-limits.js';
import { avatarUrl } from '../accounts/accounts.presenter.js';
import { assertTakesPart } from '../accounts/accounts.policy.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import {
  conversationsRepository as repo,
  sideOf,
  type ConversationRow,
  type ConversationView,
  type MessageRow,
  type NewMessage,
} from './conversations.repository.js';
import type { ConversationDto, MessageDto, PageQueryInput } from './messaging.schemas.js';

const CONVERSATION_KEYS = repo.recentKeys;
const MESSAGE_KEYS = repo.newestMessageKeys;

export function presentMessage(row: MessageRow): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    kind: row.kind,
    body: row.body,
    ...(row.kind === 'event' && row.adRequestId ? { adRequestId: row.adRequestId } : {}),
    ...(row.kind === 'event' && row.event ? { event: row.event } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

function presentConversation(view: ConversationView, side: Party): ConversationDto {
  const c = view.conversation;
  return {
    id: c.id,
    otherParty: {
      id: view.other.id,
      displayName: view.other.displayName,
      companyName: view.companyName,
      avatarUrl: avatarUrl(view.other.avatarKey),
      role: view.other.role,
    },
    lastMessage: view.lastMessage ? presentMessage(view.lastMessage) : null,
    unreadCount: side === 'sponsor' ? c.sponsorUnread : c.influencerUnread,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Admins are not in conversations; the route gate keeps them out, this keeps the types honest. */
function partyOf(actor: Actor): Party {
  if (actor.role === 'admin') throw notFound('conversation');
  return actor.role;
}

/** Appends to the conversation in the scope's transaction; the push to both goes after the commit. */
async function appendTo(scope: AppScope, row: ConversationRow, message: NewMessage): Promise<MessageRow> {
  const saved = await repo.append(scope.tx, row, message);
  scope.push([row.sponsorId, row.influencerId], REALTIME_EVENTS.message, presentMessage(saved));
  return saved;
}

/**
 * Conversations between a sponsor and an influencer: one per pair, text messages stored as typed,
 * per-side unread counts. Non-participants get 404 for everything, so a conversation's
 * existence never leaks.
 */
export function createConversationsService(deps: {
  db: Db;
  events: AppEvents;
  rateLimits: RateLimits;
  accounts: AccountsService;
}) {
  const { db, events, rateLimits, accounts } = deps;

  /** The conversation if the actor is in it, else 404. */
  async function participantOf(actor: Actor, id: string): Promise<{ row: ConversationRow; side: Party }> {
    const row = isUuid(id) ? await repo.findById(db, id) : undefined;
    const side = row ? sideOf(row, actor.id) : undefined;
    if (!row || !side) throw notFound('conversation');
    return { row, side };
  }

  async function load(id: string, side: Party): Promise<ConversationDto> {
    const view = await repo.view(db, id, side);
    if (!view) throw notFound('conversation');
    return presentConversation(view, side);
  }

  return {
    /**
     * Appends a message to the pair's conversation (made on first use) inside the caller's
     * transaction, and queues its push to both participants for after the commit.
     */
    async postToPair(
      scope: AppScope,
      pair: { sponsorId: string; influencerId: string },
      message: NewMessage,
    ): Promise<MessageRow> {
      const { row } = await repo.getOrCreate(scope.tx, pair.sponsorId, pair.influencerId);
      return appendTo(scope, row, message);
    },

    /** Get-or-create the caller's conversation with `participantId`. */
    async start(actor: Actor, participantId: string): Promise<{ conversation: ConversationDto; created: boolean }> {
      const side = partyOf(actor);
      const target = await accounts.find(participantId);
      if (!target || target.role === 'admin' || target.status === 'deactivated') throw notFound('user');
      if (target.role === side) {
        throw validationFailed([
          {
            path: '/participantId',
            message: side === 'sponsor' ? 'must be an influencer' : 'must be a sponsor',
          },
        ]);
      }
      const pair =
        side === 'sponsor'
          ? { sponsorId: actor.id, influencerId: target.id }
          : { sponsorId: target.id, influencerId: actor.id };
      const existing = await repo.findByPair(db, pair.sponsorId, pair.influencerId);
      if (existing) return { conversation: await load(existing.id, side), created: false };
      // Opening a new conversation is outreach: only approved sponsors, and only to people the
      // directory shows (not flagged, not awaiting approval). Existing conversations stay usable.
      if (actor.role === 'sponsor' && actor.status !== 'active') throw sponsorNotApproved();
      assertTakesPart(actor);
      if (target.status !== 'active' || target.flagged) throw notFound('user');
      const { row, created } = await repo.getOrCreate(db, pair.sponsorId, pair.influencerId);
      return { conversation: await load(row.id, side), created };
    },

    async list(actor: Actor, query: PageQueryInput) {
      const side = partyOf(actor);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'recent', CONVERSATION_KEYS) : undefined;
      const rows = await repo.page(db, side, actor.id, CONVERSATION_KEYS, cursor, limit);
      return keysetPage(rows, limit, CONVERSATION_KEYS, 'recent', (r) => presentConversation(r, side));
    },

    async get(actor: Actor, id: string): Promise<ConversationDto> {
      const { row, side } = await participantOf(actor, id);
      return load(row.id, side);
    },

    async messages(actor: Actor, id: string, query: PageQueryInput) {
      const { row } = await participantOf(actor, id);
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeKeyset(query.cursor, 'newest', MESSAGE_KEYS) : undefined;
      const rows = await repo.messagesPage(db, row.id, MESSAGE_KEYS, cursor, limit);
      return keysetPage(rows, limit, MESSAGE_KEYS, 'newest', presentMessage);
    },

    async send(actor: Actor, id: string, body: string): Promise<MessageDto> {
      const { row, side } = await participantOf(actor, id);
      const otherId = side === 'sponsor' ? row.influencerId : row.sponsorId;
      const other = await accounts.find(otherId);
      if (!other || other.status === 'deactivated') {
        throw conflict('This account is deactivated and cannot receive messages.');
      }
      await rateLimits.consume('messagesPerUser', actor.id);
      const message = await events.transaction(async (scope) => {
        const saved = await appendTo(scope, row, { senderId: actor.id, kind: 'text', body });
        await scope.emit({
          kind: 'message.sent',
          messageId: saved.id,
          conversationId: row.id,
          senderId: actor.id,
          recipientId: otherId,
        });
        return saved;
      });
      return presentMessage(message);
    },

    async markRead(actor: Actor, id: string): Promise<ConversationDto> {
      const { row, side } = await participantOf(actor, id);
      await repo.markRead(db, row.id, side);
      return load(row.id, side);
    },

    async unreadCount(actor: Actor) {
      return { count: await repo.unreadTotal(db, partyOf(actor), actor.id) };
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
