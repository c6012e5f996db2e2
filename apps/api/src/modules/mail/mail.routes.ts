import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../lib/pagination.js';
import { errors, IdParams, Ref } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import {
  OutboxItem,
  OutboxMail,
  OutboxQuery,
  UnsubscribeBody,
  UnsubscribeQuery,
  UnsubscribeResult,
} from './mail.schemas.js';

const admin = { auth: ['admin' as const] };
const security = [{ bearer: [] }];

/** The admin's outbox and the public one-click unsubscribe (API.md "Dashboards, reports, exports, jobs, mail"). */
export const mailRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services: { mail } }) => {
  // An SMTP server out of reach at start is a warning (and `mail: "down"` in /health), never an
  // exit: mail waits in its queue until the server is back.
  app.addHook('onReady', async () => {
    if (mail.mode !== 'smtp') return;
    void mail.verify().then((ok) => {
      if (!ok) app.log.warn('the SMTP server of SMTP_URL cannot be reached; mail waits in the queue until it can');
    });
  });
  app.addHook('onClose', async () => mail.close());

  // RFC 8058: mail clients POST the form body `List-Unsubscribe=One-Click` to the List-Unsubscribe
  // URL. Only this route's context reads form bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });

  app.get(
    '/admin/outbox',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Every mail the platform sent or tried to send, newest first; `status` filters',
        security,
        querystring: OutboxQuery,
        response: { 200: Page(Ref(OutboxItem)), ...errors(400, 401, 403) },
      },
    },
    async (request) => mail.list(request.query),
  );

  app.get(
    '/admin/outbox/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'One mail as sent: HTML and text parts and headers',
        security,
        params: IdParams,
        response: { 200: Ref(OutboxMail), ...errors(401, 403, 404) },
      },
    },
    async (request) => mail.get(request.params.id),
  );

  app.post(
    '/admin/outbox/:id/retry',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Queue a failed mail for delivery again (409 unless it failed)',
        security,
        params: IdParams,
        response: { 200: Ref(OutboxMail), ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => mail.retry(actorOf(request), request.params.id),
  );

  app.post(
    '/unsubscribe',
    {
      schema: {
        tags: ['notifications'],
        summary: 'One-click unsubscribe (RFC 8058): turns the token’s kind of mail off for its user',
        description:
          'The token comes in the JSON body, or in the query string of the List-Unsubscribe URL with the form body `List-Unsubscribe=One-Click`.',
        querystring: UnsubscribeQuery,
        body: UnsubscribeBody,
        response: { 200: UnsubscribeResult, ...errors(400, 404) },
      },
    },
    async (request) => mail.unsubscribe(request.body.token ?? request.query.token),
  );
};
