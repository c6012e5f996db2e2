import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CURRENCY, LIMITS, NICHES, PLATFORMS } from '@iescp/shared';
import { StringEnum } from '../../lib/schemas.js';
import type { ModuleContext } from '../module.js';

const Meta = Type.Object(
  {
    currency: Type.String(),
    niches: Type.Array(StringEnum(NICHES)),
    platforms: Type.Array(StringEnum(PLATFORMS)),
    limits: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Meta' },
);

const Health = Type.Object({
  status: StringEnum(['ok', 'degraded', 'down'] as const),
  db: StringEnum(['ok', 'down'] as const),
  cache: StringEnum(['ok', 'memory', 'down'] as const),
  queue: StringEnum(['ok', 'none', 'down'] as const),
  /** 'outbox' without SMTP_URL (mail is kept locally); otherwise whether the SMTP server answers now. */
  mail: StringEnum(['outbox', 'up', 'down'] as const),
});

/** Public facts about the platform and the process. */
export const systemRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { services }) => {
  const meta = { currency: CURRENCY, niches: [...NICHES], platforms: [...PLATFORMS], limits: LIMITS };

  app.get(
    '/meta',
    { schema: { tags: ['system'], summary: 'Currency, niches, platforms and input limits', response: { 200: Meta } } },
    async () => meta,
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness of the database, cache and job queue; 503 when the database is unreachable',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [db, cache, queue, mail] = await Promise.all([
        app.database.ping(),
        app.redis
          ? app.redis.ping().then(
              () => 'ok' as const,
              () => 'down' as const,
            )
          : Promise.resolve('memory' as const),
        app.jobs.state(),
        // Asked at request time: the mail module is set up after this one's routes are defined.
        services.mail.state(),
      ]);
      const body = {
        status: !db ? ('down' as const) : cache === 'down' || mail === 'down' ? ('degraded' as const) : ('ok' as const),
        db: db ? ('ok' as const) : ('down' as const),
        cache,
        queue,
        mail,
      };
      return reply
        .code(db ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
