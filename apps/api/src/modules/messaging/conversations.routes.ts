import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { Count, errors, IdParams, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import {
  Conversation,
  ConversationQuery,
  Message,
  MessageQuery,
  SendMessageBody,
  StartConversationBody,
} from './messaging.schemas.js';

const security = [{ bearer: [] }];
const parties = { auth: ['sponsor', 'influencer'] as const };
const tags = ['messages'];

/** Sponsor–influencer conversations (API.md "Messages and notifications"). */
export const conversationsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (
  app,
  { services: { conversations } },
) => {
  app.post(
    '/conversations',
    {
      config: parties,
      schema: {
        tags,
        summary: 'Get or create the one conversation with a sponsor (as an influencer) or an influencer (as a sponsor)',
        description: '201 when it was created now, 200 when it already existed.',
        security,
        body: StartConversationBody,
        response: { 200: Ref(Conversation), 201: Ref(Conversation), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { conversation, created } = await conversations.start(actorOf(request), request.body.participantId);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  app.get(
    '/conversations',
    {
      config: parties,
      schema: {
        tags,
        summary: 'The caller’s conversations that have messages, most recent first',
        security,
        querystring: ConversationQuery,
        response: { 200: Page(Ref(Conversation)), ...errors(400, 401, 403) },
      },
    },
    async (request) => conversations.list(actorOf(request), request.query),
  );

  app.get(
    '/conversations/unread-count',
    {
      config: parties,
      schema: {
        tags,
        summary: 'Unread messages over all of the caller’s conversations',
        security,
        response: { 200: Count, ...errors(401, 403) },
      },
    },
    async (request) => conversations.unreadCount(actorOf(request)),
  );

  app.get(
    '/conversations/:id',
    {
      config: parties,
      schema: {
        tags,
        summary: 'One conversation (participants only)',
        security,
        params: IdParams,
        response: { 200: Ref(Conversation), ...errors(401, 403, 404) },
      },
    },
    async (request) => conversations.get(actorOf(request), request.params.id),
  );

  app.get(
    '/conversations/:id/messages',
    {
      config: parties,
      schema: {
        tags,
        summary: 'Messages, newest first, with cursor paging (participants only)',
        security,
        params: IdParams,
        querystring: MessageQuery,
        response: { 200: Page(Ref(Message)), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => conversations.messages(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/conversations/:id/messages',
    {
      config: parties,
      schema: {
        tags,
        summary: 'Send a text message (1–4000 characters, stored exactly as typed)',
        description: 'Limited per user per minute (MESSAGES_PER_MINUTE): 429 rate_limited beyond.',
        security,
        params: IdParams,
        body: SendMessageBody,
        response: { 201: Ref(Message), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await conversations.send(actorOf(request), request.params.id, request.body.body)),
  );

  app.post(
    '/conversations/:id/read',
    {
      config: parties,
      schema: {
        tags,
        summary: 'Mark the conversation read for the caller',
        security,
        params: IdParams,
        response: { 200: Ref(Conversation), ...errors(401, 403, 404) },
      },
    },
    async (request) => conversations.markRead(actorOf(request), request.params.id),
  );
};
