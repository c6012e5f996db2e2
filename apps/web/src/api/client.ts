/**
 * The one module that talks to the API. Views and stores call `api.*`, which wraps the typed
 * client generated from the server's OpenAPI document. The transport below (`sessionFetch`)
 * adds the in-memory access token, refreshes once on a 401 (single flight, owned by the auth
 * store) and ends the session on `account_deactivated`; `unwrap` turns problem+json answers
 * into `ApiError`s.
 */
import { createApiClient } from '@iescp/api-client';
import { ApiError } from './errors';
import type {
  AdRequest,
  AdRequestQuery,
  AdminReview,
  AdminReviewQuery,
  AdminUserQuery,
  AuditEntry,
  AuditQuery,
  DealReview,
  DealReviews,
  ReviewBody,
  JobItem,
  OutboxItem,
  OutboxMail,
  OutboxQuery,
  AppNotification,
  ChatMessage,
  Conversation,
  NotificationSettings,
  NotificationSettingsPatch,
  PageQuery,
  AuthSession,
  Campaign,
  CampaignQuery,
  CampaignStats,
  CounterBody,
  CreateAdRequestBody,
  CreateCampaignBody,
  DeliverBody,
  EditAdRequestBody,
  Earnings,
  InfluencerCard,
  InfluencerQuery,
  LedgerEntry,
  LoginBody,
  Meta,
  Page,
  PublicProfile,
  SignupBody,
  TransactionQuery,
  UpdateCampaignBody,
  UpdateMeBody,
  ChangePasswordBody,
  User,
} from './types';

export const API_BASE = '/api/v1';

/** What the auth store lends the transport; set once at start-up by `configureSession`. */
export interface SessionHooks {
  getAccessToken(): string | null;
  /** Gets a new access token with the refresh cookie; resolves false when the session is over. */
  refresh(): Promise<boolean>;
  /** The server said the account is deactivated: end the session and tell the person. */
  onAccountDeactivated(message: string): void;
}

let hooks: SessionHooks = {
  getAccessToken: () => null,
  refresh: async () => false,
  onAccountDeactivated: () => undefined,
};

export function configureSession(sessionHooks: SessionHooks): void {
  hooks = sessionHooks;
}

/** Auth routes answer 401 for bad credentials; retrying them with a refreshed token makes no sense. */
function isAuthRoute(url: string): boolean {
  return new URL(url, window.location.origin).pathname.startsWith(`${API_BASE}/auth/`);
}

async function send(request: Request): Promise<Response> {
  const token = hooks.getAccessToken();
  if (token && !request.headers.has('authorization')) {
    request.headers.set('authorization', `Bearer ${token}`);
  }
  try {
    return await fetch(request);
  } catch (cause) {
    throw ApiError.network(cause);
  }
}

/** fetch with the session: Bearer token, one refresh-and-retry on 401, and the deactivation sign-out. */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const retry = request.clone();
  const hadToken = hooks.getAccessToken() !== null;
  let response = await send(request);

  if (response.status === 401 && hadToken && !isAuthRoute(request.url)) {
    if (await hooks.refresh()) {
      retry.headers.delete('authorization');
      response = await send(retry);
    }
  }

  if (response.status === 403 && !request.url.endsWith('/auth/login')) {
    const problem = (await response
      .clone()
      .json()
      .catch(() => null)) as { code?: string } | null;
    if (problem?.code === 'account_deactivated') {
      hooks.onAccountDeactivated('Your account has been deactivated by an administrator, so you have been logged out.');
    }
  }
  return response;
}

const client = createApiClient({ fetch: sessionFetch });

/** The data of a successful call, or the call's problem thrown as an `ApiError`. */
async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.fromResponse(response, error);
  return data as T;
}

const byId = (id: string) => ({ params: { path: { id } } });

/** A fresh key per user action; `randomUUID` needs a secure context, so plain http falls back. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Headers for a state-changing POST that moves work or money: one key per call of the method
 * (one user action), so a transport-level retry of that request is answered from the server's
 * record instead of being applied twice.
 */
const once = () => ({ headers: { 'Idempotency-Key': newIdempotencyKey() } });

export const api = {
  meta: {
    get: (): Promise<Meta> => unwrap(client.GET('/api/v1/meta')),
  },
  auth: {
    signup: (body: SignupBody): Promise<AuthSession> => unwrap(client.POST('/api/v1/auth/signup', { body })),
    login: (body: LoginBody): Promise<AuthSession> => unwrap(client.POST('/api/v1/auth/login', { body })),
    /**
     * Uses the httpOnly refresh cookie: the SPA never holds a refresh token at rest.
     * `keepalive` lets the call finish when the page unloads mid-flight (a quick reload): the
     * server has already rotated the token, so the browser must still store the new cookie, or
     * the next page would present the spent one and the server would revoke the whole session.
     */
    refresh: (): Promise<AuthSession> => unwrap(client.POST('/api/v1/auth/refresh', { body: {}, keepalive: true })),
    logout: (): Promise<void> => unwrap(client.POST('/api/v1/auth/logout', { body: {} })),
  },
  me: {
    get: (): Promise<User> => unwrap(client.GET('/api/v1/me')),
    /** Ends every other session of the person at once; this one stays signed in. */
    changePassword: (body: ChangePasswordBody): Promise<void> => unwrap(client.POST('/api/v1/me/password', { body })),
    update: (body: UpdateMeBody): Promise<User> => unwrap(client.PATCH('/api/v1/me', { body })),
    uploadAvatar: (file: File): Promise<User> => {
      const form = new FormData();
      form.append('file', file);
      // The OpenAPI document does not describe the multipart body, so the client types it as absent.
      return unwrap(client.PUT('/api/v1/me/avatar', { body: form as never }));
    },
  },
  admin: {
    listUsers: (query: AdminUserQuery): Promise<Page<User>> =>
      unwrap(client.GET('/api/v1/admin/users', { params: { query } })),
    approve: (id: string): Promise<User> => unwrap(client.POST('/api/v1/admin/users/{id}/approve', byId(id))),
    deactivate: (id: string, reason: string): Promise<User> =>
      unwrap(client.POST('/api/v1/admin/users/{id}/deactivate', { ...byId(id), body: { reason } })),
    reactivate: (id: string): Promise<User> => unwrap(client.POST('/api/v1/admin/users/{id}/reactivate', byId(id))),
    flag: (id: string, reason: string): Promise<User> =>
      unwrap(client.POST('/api/v1/admin/users/{id}/flag', { ...byId(id), body: { reason } })),
    unflag: (id: string): Promise<User> => unwrap(client.POST('/api/v1/admin/users/{id}/unflag', byId(id))),
    flagCampaign: (id: string, reason: string): Promise<Campaign> =>
      unwrap(client.POST('/api/v1/admin/campaigns/{id}/flag', { ...byId(id), body: { reason } })),
    unflagCampaign: (id: string): Promise<Campaign> =>
      unwrap(client.POST('/api/v1/admin/campaigns/{id}/unflag', byId(id))),
    listOutbox: (query: OutboxQuery): Promise<Page<OutboxItem>> =>
      unwrap(client.GET('/api/v1/admin/outbox', { params: { query } })),
    outboxMail: (id: string): Promise<OutboxMail> => unwrap(client.GET('/api/v1/admin/outbox/{id}', byId(id))),
    retryMail: (id: string): Promise<OutboxMail> => unwrap(client.POST('/api/v1/admin/outbox/{id}/retry', byId(id))),
    auditLog: (query: AuditQuery): Promise<Page<AuditEntry>> =>
      unwrap(client.GET('/api/v1/admin/audit-log', { params: { query } })),
    listJobs: (): Promise<{ items: JobItem[] }> => unwrap(client.GET('/api/v1/admin/jobs')),
    runJob: (name: string): Promise<{ id: string }> =>
      unwrap(client.POST('/api/v1/admin/jobs/{name}/run', { params: { path: { name } } })),
  },
  campaigns: {
    list: (query: CampaignQuery): Promise<Page<Campaign>> =>
      unwrap(client.GET('/api/v1/campaigns', { params: { query } })),
    get: (id: string): Promise<Campaign> => unwrap(client.GET('/api/v1/campaigns/{id}', byId(id))),
    create: (body: CreateCampaignBody): Promise<Campaign> => unwrap(client.POST('/api/v1/campaigns', { body })),
    /** Send only the fields that changed: the server treats every field present as a change. */
    update: (id: string, body: UpdateCampaignBody): Promise<Campaign> =>
      unwrap(client.PATCH('/api/v1/campaigns/{id}', { ...byId(id), body })),
    remove: (id: string): Promise<void> => unwrap(client.DELETE('/api/v1/campaigns/{id}', byId(id))),
    stats: (id: string): Promise<CampaignStats> => unwrap(client.GET('/api/v1/campaigns/{id}/stats', byId(id))),
  },
  adRequests: {
    list: (query: AdRequestQuery): Promise<Page<AdRequest>> =>
      unwrap(client.GET('/api/v1/ad-requests', { params: { query } })),
    get: (id: string): Promise<AdRequest> => unwrap(client.GET('/api/v1/ad-requests/{id}', byId(id))),
    /** An invitation (sponsor, with `influencerId`) or an application (influencer, without). */
    create: (body: CreateAdRequestBody): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests', { body, ...once() })),
    edit: (id: string, body: EditAdRequestBody): Promise<AdRequest> =>
      unwrap(client.PATCH('/api/v1/ad-requests/{id}', { ...byId(id), body })),
    counter: (id: string, body: CounterBody): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/counter', { ...byId(id), body, ...once() })),
    /** `offerVersion` is the offer the person saw: a newer one makes the server answer 409 `conflict`. */
    accept: (id: string, offerVersion: number): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/accept', { ...byId(id), body: { offerVersion }, ...once() })),
    reject: (id: string, message?: string): Promise<AdRequest> =>
      unwrap(
        client.POST('/api/v1/ad-requests/{id}/reject', { ...byId(id), body: message ? { message } : {}, ...once() }),
      ),
    withdraw: (id: string): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/withdraw', { ...byId(id), body: {}, ...once() })),
    deliver: (id: string, body: DeliverBody): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/deliver', { ...byId(id), body, ...once() })),
    requestRevision: (id: string, note: string): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/request-revision', { ...byId(id), body: { note }, ...once() })),
    complete: (id: string): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/complete', { ...byId(id), body: {}, ...once() })),
    cancel: (id: string, reason: string): Promise<AdRequest> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/cancel', { ...byId(id), body: { reason }, ...once() })),
    remove: (id: string): Promise<void> => unwrap(client.DELETE('/api/v1/ad-requests/{id}', byId(id))),
  },
  ledger: {
    transactions: (query: TransactionQuery): Promise<Page<LedgerEntry>> =>
      unwrap(client.GET('/api/v1/transactions', { params: { query } })),
    earnings: (): Promise<Earnings> => unwrap(client.GET('/api/v1/earnings')),
  },
  directory: {
    influencers: (query: InfluencerQuery): Promise<Page<InfluencerCard>> =>
      unwrap(client.GET('/api/v1/influencers', { params: { query } })),
    influencer: (id: string): Promise<PublicProfile> => unwrap(client.GET('/api/v1/influencers/{id}', byId(id))),
    sponsor: (id: string): Promise<PublicProfile> => unwrap(client.GET('/api/v1/sponsors/{id}', byId(id))),
  },
  reviews: {
    ofDeal: (id: string): Promise<DealReviews> => unwrap(client.GET('/api/v1/ad-requests/{id}/reviews', byId(id))),
    submit: (id: string, body: ReviewBody): Promise<DealReview> =>
      unwrap(client.POST('/api/v1/ad-requests/{id}/review', { ...byId(id), body })),
    received: (id: string, query: PageQuery = {}): Promise<Page<DealReview>> =>
      unwrap(client.GET('/api/v1/users/{id}/reviews', { params: { path: { id }, query } })),
    adminList: (query: AdminReviewQuery): Promise<Page<AdminReview>> =>
      unwrap(client.GET('/api/v1/admin/reviews', { params: { query } })),
    hide: (id: string, reason: string): Promise<AdminReview> =>
      unwrap(client.POST('/api/v1/admin/reviews/{id}/hide', { ...byId(id), body: { reason } })),
  },
  conversations: {
    /** Get-or-create the one conversation with this sponsor or influencer. */
    start: (participantId: string): Promise<Conversation> =>
      unwrap(client.POST('/api/v1/conversations', { body: { participantId } })),
    list: (query: PageQuery = {}): Promise<Page<Conversation>> =>
      unwrap(client.GET('/api/v1/conversations', { params: { query } })),
    get: (id: string): Promise<Conversation> => unwrap(client.GET('/api/v1/conversations/{id}', byId(id))),
    unreadCount: (): Promise<{ count: number }> => unwrap(client.GET('/api/v1/conversations/unread-count')),
    /** Newest first; pass the previous page's `nextCursor` for older messages. */
    messages: (id: string, query: PageQuery = {}): Promise<Page<ChatMessage>> =>
      unwrap(client.GET('/api/v1/conversations/{id}/messages', { params: { path: { id }, query } })),
    send: (id: string, body: string): Promise<ChatMessage> =>
      unwrap(client.POST('/api/v1/conversations/{id}/messages', { ...byId(id), body: { body }, ...once() })),
    markRead: (id: string): Promise<Conversation> => unwrap(client.POST('/api/v1/conversations/{id}/read', byId(id))),
  },
  notifications: {
    list: (query: PageQuery & { unread?: boolean } = {}): Promise<Page<AppNotification>> =>
      unwrap(client.GET('/api/v1/notifications', { params: { query } })),
    unreadCount: (): Promise<{ count: number }> => unwrap(client.GET('/api/v1/notifications/unread-count')),
    markRead: (id: string): Promise<AppNotification> =>
      unwrap(client.POST('/api/v1/notifications/{id}/read', byId(id))),
    markAllRead: (): Promise<{ count: number }> => unwrap(client.POST('/api/v1/notifications/read-all')),
    settings: (): Promise<NotificationSettings> => unwrap(client.GET('/api/v1/me/notification-settings')),
    updateSettings: (body: NotificationSettingsPatch): Promise<NotificationSettings> =>
      unwrap(client.PATCH('/api/v1/me/notification-settings', { body })),
    /** Public: turns off the kind of mail the token (from a mail's footer) names. */
    unsubscribe: (token: string): Promise<{ kind: string; email: false }> =>
      unwrap(client.POST('/api/v1/unsubscribe', { body: { token } })),
  },
};
