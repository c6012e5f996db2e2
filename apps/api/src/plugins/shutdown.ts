import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { unavailable } from '../lib/errors.js';

/** One turn of the event loop: its poll phase accepts waiting connections and reads their sockets. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The listener stays open until no connection came for this long (and a few loop turns passed)… */
const QUIET_MS = 150;
/** …but never longer than this. */
const LINGER_MAX_MS = 2_000;

/**
 * Closing the listener resets every connection the kernel holds for the process but the process
 * has not taken yet (a busy event loop takes them late): clients that sent their request before
 * the signal would see ECONNRESET. So the server keeps taking connections, and answering them
 * 503, until they stop coming, for a bounded time.
 */
async function acceptWhatArrived(app: FastifyInstance): Promise<void> {
  const started = performance.now();
  let last = started;
  const seen = () => (last = performance.now());
  app.server.on('connection', seen);
  try {
    for (let turn = 1; ; turn++) {
      await nextTurn();
      const now = performance.now();
      if (now - started >= LINGER_MAX_MS || (turn >= 3 && now - last >= QUIET_MS)) return;
      await sleep(10);
    }
  } finally {
    app.server.off('connection', seen);
  }
}

/**
 * The HTTP side of a graceful stop (`app.close()`, which main.ts calls on SIGTERM or SIGINT).
 *
 * Fastify closes the listener and waits for open connections before its onClose hooks close the
 * queue, Socket.IO's Redis clients, Redis and the database. On their own, answers sent during
 * that wait said `Connection: keep-alive`, so clients kept their sockets open, the close never
 * finished, and close-with-grace's timer ended the process with exit code 1, resetting every
 * request still in progress; and closing the listener at once reset the connections the process
 * had not taken from the kernel yet.
 *
 * So, from the signal on: every answer carries `Connection: close`; a request that arrives on an
 * open connection is refused with 503 `unavailable` (problem+json with `Retry-After`, instead of
 * Fastify's own plain-JSON 503: `return503OnClosing: false` in app.ts); the listener closes once
 * connections stop arriving (see above). Requests in progress finish; after `graceMs` whatever is
 * still open is cut, so a hung request cannot hold the process forever.
 */
export default fp(
  async function shutdownPlugin(app: FastifyInstance, opts: { graceMs: number }) {
    let draining = false;
    let deadline: NodeJS.Timeout | undefined;

    app.addHook('onRequest', async () => {
      if (draining) throw unavailable();
    });
    app.addHook('onSend', async (_request, reply) => {
      if (draining) reply.header('connection', 'close');
    });

    // Registered before the other plugins, so this is the first preClose hook: it runs right
    // after Fastify stops routing and before the server is closed.
    app.addHook('preClose', async () => {
      draining = true;
      if (!app.server.listening) return;
      app.log.info('draining: new requests are refused with 503, requests in progress may finish');
      deadline = setTimeout(() => {
        app.log.warn({ graceMs: opts.graceMs }, 'requests still open after the grace period: closing them');
        app.server.closeAllConnections();
      }, opts.graceMs);
      deadline.unref();
      await acceptWhatArrived(app);
    });
    app.addHook('onClose', async () => clearTimeout(deadline));
  },
  { name: 'shutdown' },
);
