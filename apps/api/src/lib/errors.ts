/**
 * The one error type of the API. The global handler turns it into RFC 9457 problem+json; the
 * `code` strings are part of the public contract (API.md), so only these factories make them.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationFailed = (errors: FieldIssue[], detail = 'The request is not valid.') =>
  new AppError(400, 'validation_failed', detail, errors);
export const unauthenticated = (detail = 'Authentication is required.') => new AppError(401, 'unauthenticated', detail);
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Email or password is wrong.');
export const forbidden = (detail = 'You may not do this.') => new AppError(403, 'forbidden', detail);
export const sponsorNotApproved = () =>
  new AppError(403, 'sponsor_not_approved', 'Your sponsor account is waiting for approval by an admin.');
export const accountDeactivated = () => new AppError(403, 'account_deactivated', 'This account has been deactivated.');
export const accountFlagged = () =>
  new AppError(
    403,
    'account_flagged',
    'Your account is flagged by a moderator: you can finish deals already accepted, but not start new campaigns, offers or conversations.',
  );
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `The ${what} does not exist.`);
export const conflict = (detail: string) => new AppError(409, 'conflict', detail);
export const emailTaken = () =>
  new AppError(409, 'email_taken', 'An account with this email already exists.', [
    { path: '/email', message: 'is already registered' },
  ]);
export const invalidTransition = (detail: string) => new AppError(409, 'invalid_transition', detail);
export const budgetExceeded = (detail: string) => new AppError(409, 'budget_exceeded', detail);
export const payloadTooLarge = (detail = 'The request body is too large.') =>
  new AppError(413, 'payload_too_large', detail);
export const unsupportedMediaType = (detail: string) => new AppError(415, 'unsupported_media_type', detail);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, undefined, {
    'retry-after': String(retryAfterSeconds),
  });
/** The database (or another server the API cannot do without) is out of reach; worth a retry. */
export const unavailable = (retryAfterSeconds = 5) =>
  new AppError(
    503,
    'unavailable',
    `The service is briefly unavailable. Try again in ${retryAfterSeconds} seconds.`,
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );
export const uriTooLong = () =>
  new AppError(414, 'uri_too_long', 'The request URL, or a part of its path, is too long.');
export const headersTooLarge = () =>
  new AppError(431, 'headers_too_large', 'The request headers or query string are too large.');
export const requestTimeout = () => new AppError(408, 'request_timeout', 'The request took too long to arrive.');
export const alreadyReviewed = () =>
  new AppError(409, 'already_reviewed', 'You have already reviewed this ad request; a review cannot be changed.');
