import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the built web app is served (the not-found handler falls back to its index). */
    webRoot: string | null;
  }
}

/** Serves the built SPA at `/`; client-side routes fall back to index.html (see errors plugin). */
export default fp(
  async function webPlugin(app: FastifyInstance, opts: { root: string | undefined }) {
    const root = path.resolve(opts.root ?? DEFAULT_WEB_DIST);
    const present = existsSync(path.join(root, 'index.html'));
    app.decorate('webRoot', present ? root : null);
    if (!present) {
      app.log.warn({ root }, 'web app not built; serving the API only');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz beside each file (apps/web/scripts/precompress.mjs): they are
      // sent by Accept-Encoding, compressed once at the strongest level, never per request.
      preCompressed: true,
      // Our own Cache-Control below; the default would overwrite it with max-age=0.
      cacheControl: false,
      setHeaders: (res, filePath) => {
        // The body depends on Accept-Encoding: shared caches must keep the variants apart.
        res.setHeader('vary', 'Accept-Encoding');
        // Vite fingerprints assets, so they can be cached forever; the shell never is.
        if (filePath.includes(`${path.sep}assets${path.sep}`))
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        else res.setHeader('cache-control', 'no-cache');
      },
    });
  },
  { name: 'web' },
);
