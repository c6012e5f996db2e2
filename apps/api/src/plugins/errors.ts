import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnreachable } from '../db/client.js';
import { AppError, headersTooLarge, requestTimeout, unavailable, uriTooLong, type FieldIssue } from '../lib/errors.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldIssue[];
  requestId: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/**
 * AJV's issues as `{path, message}` with a JSON pointer to the offending field, one per field:
 * a nullable field that fails reports "must be null" and "must match a schema in anyOf" besides
 * the real reason, which are noise to a person reading a form.
 */
export function issuesFromAjv(validation: AjvIssue[]): FieldIssue[] {
  const byPath = new Map<string, FieldIssue & { noise: boolean }>();
  for (const issue of validation) {
    const child = issue.params.missingProperty ?? issue.params.additionalProperty;
    const path = (typeof child === 'string' ? `${issue.instancePath}/${child}` : issue.instancePath) || '/';
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'additionalProperties') message = 'is not an allowed field';
    if (issue.keyword === 'required') message = 'is required';
    const noise = issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params.type === 'null');
    const seen = byPath.get(path);
    if (!seen || (seen.noise && !noise)) byPath.set(path, { path, message, noise });
  }
  return [...byPath.values()].map(({ path, message }) => ({ path, message }));
}

/**
 * The multipart parser (busboy, under @fastify/multipart) reports a body it cannot read — no or
 * a wrong boundary, a truncated body — as plain `Error`s without a status, thrown from
 * `request.file()` or the file stream. They are the client's fault, whichever route reads
 * the upload.
 */
const MALFORMED_MULTIPART = [
  /^Multipart: Boundary not found$/,
  /^Boundary required$/,
  /unexpected end of multipart data$/i,
  /^Malformed part header$/,
];

function isMalformedMultipart(error: Error): boolean {
  return (
    (error as { statusCode?: unknown }).statusCode === undefined &&
    MALFORMED_MULTIPART.some((pattern) => pattern.test(error.message))
  );
}

function toProblem(
  error: FastifyError | AppError | Error,
  requestId: string,
): { problem: Problem; headers?: Record<string, string> } {
  const make = (status: number, code: string, detail: string, errors?: FieldIssue[]): Problem => ({
    type: `https://iescp.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
    requestId,
  });

  // The database out of reach fails every route the same way: not a bug, and worth a retry.
  if (!(error instanceof AppError) && isDatabaseUnreachable(error)) error = unavailable();
  if (error instanceof AppError) {
    return { problem: make(error.status, error.code, error.message, error.errors), headers: error.headers };
  }
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext === 'body' ? 'request body' : `request ${fe.validationContext ?? 'input'}`;
    return { problem: make(400, 'validation_failed', `The ${where} is not valid.`, issuesFromAjv(fe.validation)) };
  }
  if (isMalformedMultipart(fe)) {
    return { problem: make(400, 'validation_failed', 'The multipart body could not be read.') };
  }
  switch (fe.code) {
    // The router's refusals carry the whole path in their message: never repeated.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return toProblem(uriTooLong(), requestId);
    case 'FST_ERR_BAD_URL':
      return { problem: make(400, 'validation_failed', 'The request URL is not validly encoded.') };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { problem: make(413, 'payload_too_large', 'The request body is too large.') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { problem: make(415, 'unsupported_media_type', 'This content type is not accepted here.') };
  }
  const status = fe.statusCode ?? 500;
  if (status === 413) return { problem: make(413, 'payload_too_large', 'The request body is too large.') };
  if (status === 415)
    return { problem: make(415, 'unsupported_media_type', 'This content type is not accepted here.') };
  if (status >= 400 && status < 500) {
    // Malformed JSON, empty bodies and the like: the client's input is at fault.
    return { problem: make(400, 'validation_failed', fe.message || 'The request is not valid.') };
  }
  return {
    problem: make(500, 'internal_error', 'Something went wrong on our side. The request id identifies it in our logs.'),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers?: Record<string, string>) {
  if (headers) reply.headers(headers);
  // Also on the router's refusals (frameworkErrors), which run no route's onSend hooks.
  reply.header('x-request-id', problem.requestId);
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/** Fastify's `frameworkErrors`: the router's refusals (bad URL encoding, over-long parameters) as problems. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { problem, headers } = toProblem(error, request.id);
  request.log.debug({ code: problem.code }, 'request rejected by the router');
  return sendProblem(reply, problem, headers);
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before Fastify sees a request
 * (headers or request line over `maxHeaderSize`, a timeout, a malformed request) is answered on
 * the socket as problem+json too, repeating nothing of the request.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const { problem } =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? toProblem(headersTooLarge(), requestId)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? toProblem(requestTimeout(), requestId)
        : toProblem(new AppError(400, 'validation_failed', 'The request could not be parsed as HTTP.'), requestId);
  this.log.debug({ code: problem.code, err: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${http.STATUS_CODES[problem.status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  } else {
    socket.destroy(error);
  }
}

/** One handler writes every error as RFC 9457 problem+json; 5xx details never leave the process. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { problem, headers } = toProblem(error, request.id);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.debug({ code: problem.code }, 'request rejected');
      return sendProblem(reply, problem, headers);
    });
    app.setNotFoundHandler((request, reply) => {
      // Client-side routes of the web app (e.g. /profile) load its shell; /api stays strict.
      const spa = app.hasDecorator('webRoot') && app.webRoot !== null;
      if (spa && (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api')) {
        return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
      }
      // The path is the caller's input (it may hold markup or someone's token): never repeated.
      const { problem } = toProblem(
        new AppError(404, 'not_found', 'No route matches this method and path.'),
        request.id,
      );
      return sendProblem(reply, problem);
    });
  },
  { name: 'errors' },
);
