import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { Count, errors, IdParams, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import {
  Notification,
  NotificationQuery,
  NotificationSettings,
  NotificationSettingsPatch,
  ReadAllResult,
} from './notifications.schemas.js';

const security = [{ bearer: [] }];
const user = { auth: 'user' as const };
const tags = ['notifications'];

/** The caller's notifications and email choices (API.md "Messages and notifications"). */
export const notificationsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (
  app,
  { services: { notifications } },
) => {
  app.get(
    '/notifications',
    {
      config: user,
      schema: {
        tags,
        summary: 'The caller’s notifications, newest first; `unread=true` for unread ones only',
        security,
        querystring: NotificationQuery,
        response: { 200: Page(Ref(Notification)), ...errors(400, 401) },
      },
    },
    async (request) => notifications.list(actorOf(request), request.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: user,
      schema: {
        tags,
        summary: 'How many notifications are unread',
        security,
        response: { 200: Count, ...errors(401) },
      },
    },
    async (request) => notifications.unreadCount(actorOf(request)),
  );

  app.post(
    '/notifications/read-all',
    {
      config: user,
      schema: {
        tags,
        summary: 'Mark every notification read',
        security,
        response: { 200: ReadAllResult, ...errors(401) },
      },
    },
    async (request) => notifications.markAllRead(actorOf(request)),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: user,
      schema: {
        tags,
        summary: 'Mark one notification read',
        security,
        params: IdParams,
        response: { 200: Ref(Notification), ...errors(401, 404) },
      },
    },
    async (request) => notifications.markRead(actorOf(request), request.params.id),
  );

  app.get(
    '/me/notification-settings',
    {
      config: user,
      schema: {
        tags,
        summary: 'Which notification types also come by email',
        security,
        response: { 200: Ref(NotificationSettings), ...errors(401) },
      },
    },
    async (request) => notifications.settings(actorOf(request)),
  );

  app.patch(
    '/me/notification-settings',
    {
      config: user,
      schema: {
        tags,
        summary: 'Choose which notification types also come by email (only the given types change)',
        security,
        body: NotificationSettingsPatch,
        response: { 200: Ref(NotificationSettings), ...errors(400, 401) },
      },
    },
    async (request) => notifications.updateSettings(actorOf(request), request.body),
  );
};
