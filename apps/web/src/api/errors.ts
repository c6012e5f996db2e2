/**
 * The web app's one error helper (STYLE.md #16): turns whatever a call threw into an
 * `ApiError` carrying the RFC 9457 problem, maps its field errors onto a form and gives the
 * user-facing sentence for toasts and form-level alerts.
 */

export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: readonly ProblemFieldError[];
  /** Seconds from `Retry-After` on a 429, when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, problem: Problem, retryAfterSeconds: number | null = null) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? codeForStatus(status);
    this.title = problem.title ?? 'Request failed';
    this.detail = problem.detail;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Builds the error from a failed response and its (already parsed) body, if any. */
  static fromResponse(response: Response, body: unknown): ApiError {
    const problem: Problem = isProblem(body) ? body : { title: response.statusText };
    return new ApiError(response.status, problem, parseRetryAfter(response.headers.get('retry-after')));
  }

  /** The request never got an answer (offline, server down, CORS, aborted). */
  static network(cause: unknown): ApiError {
    const error = new ApiError(0, {
      code: 'network_error',
      title: 'Network error',
      detail: 'Could not reach the server. Check your connection and try again.',
    });
    (error as { cause?: unknown }).cause = cause;
    return error;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && ('code' in body || 'title' in body || 'detail' in body);
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'validation_failed';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server_error' : 'unknown_error';
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Codes whose sentence the web app words itself (the server's `detail` is generic there). */
const CODE_MESSAGES: Record<string, string> = {
  invalid_credentials: 'That email and password do not match an account.',
  email_taken: 'An account with this email already exists.',
  unauthenticated: 'Your session has ended. Please log in again.',
};

/** Used when the server sent no `detail`. */
const FALLBACK_MESSAGES: Record<string, string> = {
  account_deactivated: 'This account has been deactivated. Contact support if you think this is a mistake.',
  sponsor_not_approved: 'Your sponsor account is still awaiting approval by an administrator.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'We could not find what you were looking for.',
  payload_too_large: 'That file is too large.',
  unsupported_media_type: 'That file type is not supported.',
};

/** The sentence to show a person for any thrown value. */
export function problemMessage(error: unknown): string {
  if (!isApiError(error)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';
  }
  if (error.code === 'rate_limited') {
    const seconds = error.retryAfterSeconds;
    if (seconds === null) return 'Too many attempts. Please try again later.';
    if (seconds < 60) return `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
    const minutes = Math.ceil(seconds / 60);
    return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (error.code === 'network_error') return error.detail ?? 'Could not reach the server.';
  const fixed = CODE_MESSAGES[error.code];
  if (fixed) return fixed;
  if (error.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  if (error.code === 'validation_failed' && error.fieldErrors.length > 0) {
    return 'Some fields need your attention.';
  }
  return error.detail ?? FALLBACK_MESSAGES[error.code] ?? error.title;
}

/**
 * `/profile/platforms/0/handle` (a JSON pointer, as the server reports) → the form path
 * `profile.platforms[0].handle` that vee-validate uses.
 */
export function pointerToPath(pointer: string): string {
  const segments = pointer
    .replace(/^#?\//, '')
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return segments.reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment),
    '',
  );
}

/** The part of a vee-validate form the helper needs. */
export interface FieldErrorTarget {
  setFieldError(path: string, message: string | string[] | undefined): void;
}

export interface ApplyProblemOptions {
  /** Form paths that have a visible field; errors on other paths become form-level text. */
  fields: ReadonlyArray<string | RegExp>;
  /** API path → form path, for fields the form holds differently (dollars vs `rateCents`). */
  aliases?: Readonly<Record<string, string>>;
  /** Error code → the form path it belongs to (`email_taken` → `email`). */
  codeFields?: Readonly<Record<string, string>>;
}

const DEFAULT_CODE_FIELDS: Readonly<Record<string, string>> = { email_taken: 'email' };

function matches(path: string, fields: ApplyProblemOptions['fields']): boolean {
  return fields.some((field) => (typeof field === 'string' ? field === path : field.test(path)));
}

/**
 * Puts a failed call's errors where the person will look: on the fields they belong to, and
 * returns the form-level message (or `null` when every error landed on a field).
 */
export function applyProblemToForm(
  error: unknown,
  form: FieldErrorTarget,
  options: ApplyProblemOptions,
): string | null {
  if (!isApiError(error)) return problemMessage(error);

  const codeFields = { ...DEFAULT_CODE_FIELDS, ...options.codeFields };
  const codeField = codeFields[error.code];
  if (codeField && matches(codeField, options.fields)) {
    form.setFieldError(codeField, problemMessage(error));
    return null;
  }

  const leftovers: string[] = [];
  // The server can report several issues for one path (a pattern, then "must be null", then
  // "anyOf"); the first is the most specific, so each field shows only that one.
  const placed = new Set<string>();
  for (const fieldError of error.fieldErrors) {
    const apiPath = pointerToPath(fieldError.path);
    const path = options.aliases?.[apiPath] ?? apiPath;
    if (path && matches(path, options.fields)) {
      if (!placed.has(path)) form.setFieldError(path, humanize(fieldError.message));
      placed.add(path);
    } else {
      leftovers.push(apiPath ? `${apiPath}: ${fieldError.message}` : fieldError.message);
    }
  }
  if (leftovers.length > 0) return `${problemMessage(error)} ${leftovers.join('; ')}`.trim();
  if (placed.size > 0) return 'Please fix the highlighted fields.';
  return problemMessage(error);
}

/** Server validation messages read like "must NOT have fewer than 10 characters". */
function humanize(text: string): string {
  const sentence = text.replace(/\bNOT\b/g, 'not').trim();
  if (sentence.length === 0) return sentence;
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}${/[.!?]$/.test(sentence) ? '' : '.'}`;
}
