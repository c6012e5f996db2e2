import autocannon, { type Result } from 'autocannon';

/** One load scenario: a fixed path, or a fresh path per request (to defeat the cache). */
export interface Scenario {
  name: string;
  /** Origin only, e.g. http://127.0.0.1:4321; the path comes from `path` or `nextPath`. */
  origin: string;
  path: string;
  nextPath?: () => string;
  token?: string;
  /** What every measured response's `x-cache` header must say, when the route is cached. */
  expectCache?: 'hit' | 'miss';
  /** Sent as Accept-Encoding; absent means the client asks for no compression. */
  acceptEncoding?: string;
  /** What every measured response's Content-Encoding must be ('identity' for none). */
  expectEncoding?: string;
}

export interface ScenarioResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cache: Record<string, number>;
  avgBytes: number;
  /** Why this scenario's numbers cannot be trusted as they stand; empty when clean. */
  problems: string[];
}

export interface LoadOptions {
  connections: number;
  duration: number;
  warmup: number;
}

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+$/;

function run(scenario: Scenario, connections: number, duration: number) {
  const cache: Record<string, number> = {};
  const encodings: Record<string, number> = {};
  const run = autocannon({
    url: scenario.origin,
    connections,
    duration,
    timeout: 10,
    headers: {
      ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}),
      ...(scenario.acceptEncoding ? { 'accept-encoding': scenario.acceptEncoding } : {}),
    },
    requests: [
      {
        method: 'GET',
        path: scenario.path,
        ...(scenario.nextPath ? { setupRequest: (request) => ({ ...request, path: scenario.nextPath!() }) } : {}),
        onResponse: (_status, _body, _context, headers) => {
          const value = headers['x-cache'] ?? headers['X-Cache'];
          const key = value === undefined ? 'none' : String(value);
          cache[key] = (cache[key] ?? 0) + 1;
          const encoding = String(headers['content-encoding'] ?? headers['Content-Encoding'] ?? 'identity');
          encodings[encoding] = (encodings[encoding] ?? 0) + 1;
        },
      },
    ],
  });
  return run.then((result) => ({ result, cache, encodings }));
}

/** Warm-up (unmeasured), then the measured run; only ever against 127.0.0.1. */
export async function runScenario(scenario: Scenario, options: LoadOptions): Promise<ScenarioResult> {
  if (!LOOPBACK.test(scenario.origin)) throw new Error(`refusing to load ${scenario.origin}: only 127.0.0.1`);
  if (options.warmup > 0) await run(scenario, options.connections, options.warmup);
  const { result, cache, encodings } = await run(scenario, options.connections, options.duration);
  return summarize(scenario, result, cache, encodings);
}

function summarize(
  scenario: Scenario,
  result: Result,
  cache: Record<string, number>,
  encodings: Record<string, number>,
): ScenarioResult {
  const problems: string[] = [];
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx responses`);
  if (result.errors > 0) problems.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (scenario.expectCache) {
    const wrong = Object.entries(cache)
      .filter(([k]) => k !== scenario.expectCache)
      .reduce((sum, [, n]) => sum + n, 0);
    if (wrong > 0) problems.push(`${wrong} responses not x-cache: ${scenario.expectCache}`);
  }
  if (scenario.expectEncoding) {
    const wrong = Object.entries(encodings)
      .filter(([k]) => k !== scenario.expectEncoding)
      .reduce((sum, [, n]) => sum + n, 0);
    if (wrong > 0) problems.push(`${wrong} responses not Content-Encoding: ${scenario.expectEncoding}`);
  }
  const requests = result.requests.total;
  return {
    name: scenario.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cache,
    avgBytes: requests > 0 ? result.throughput.total / requests : 0,
    problems,
  };
}
