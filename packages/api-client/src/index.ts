import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths };
export type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type ProblemDetails = Schemas['Problem'];
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Origin of the server; empty for same-origin (the web app served by the API). */
  baseUrl?: string;
  /** Current access token, read on every request. */
  getAccessToken?: () => string | null | undefined;
  fetch?: typeof globalThis.fetch;
  /** Extra middleware, e.g. refresh-on-401. */
  middleware?: Middleware[];
}

/** The typed client over the generated OpenAPI types; paths include the `/api/v1` prefix. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    credentials: 'same-origin',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    onRequest({ request }) {
      const token = options.getAccessToken?.();
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  for (const m of options.middleware ?? []) client.use(m);
  return client;
}
