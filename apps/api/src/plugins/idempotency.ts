import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { conflict, validationFailed } from '../lib/errors.js';
import { idempotencyRepository as repo } from './idempotency.repository.js';

const HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a key is remembered; a retry after that is a new request. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request holds an idempotency slot that onSend must fill or free. */
    idempotencySlot: { userId: string; key: string } | null;
  }
}

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` on signed-in POSTs: the first response is stored per user and key and
 * replayed for a retry, so nothing is applied twice; the same key on a different request, or
 * while the first is still running, is a 409. Server errors free the key for a real retry.
 */
export default fp(
  async function idempotencyPlugin(app: FastifyInstance) {
    const db = app.database.db;
    app.decorateRequest('idempotencySlot', null);

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers[HEADER];
      if (request.method !== 'POST' || key === undefined || !request.actor) return;
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw validationFailed([
          { path: '/headers/idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
        ]);
      }
      const userId = request.actor.id;
      const print = fingerprint(request);
      if (await repo.claim(db, userId, key, print, RETENTION_MS)) {
        request.idempotencySlot = { userId, key };
        return;
      }
      const previous = await repo.find(db, userId, key);
      if (!previous) throw conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
      if (previous.fingerprint !== print)
        throw conflict('This Idempotency-Key was already used for a different request.');
      if (previous.statusCode === null)
        throw conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
      reply.header('idempotent-replayed', 'true').code(previous.statusCode);
      if (previous.contentType) reply.type(previous.contentType);
      return reply.send(previous.body ?? undefined);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const slot = request.idempotencySlot;
      if (!slot) return payload;
      request.idempotencySlot = null;
      if (reply.statusCode >= 500) {
        await repo.release(db, slot.userId, slot.key);
      } else {
        const contentType = reply.getHeader('content-type');
        await repo.complete(db, slot.userId, slot.key, {
          statusCode: reply.statusCode,
          contentType: typeof contentType === 'string' ? contentType : null,
          body: typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null,
        });
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['database', 'auth'] },
);
