import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { validationFailed, type FieldIssue } from '../lib/errors.js';

/**
 * Control characters no text of ours may hold: NUL (PostgreSQL refuses it in text) and the
 * other C0 controls and DEL. Tab, line feed and carriage return are text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The JSON pointers of every string in `value` that holds a control character, in document
 * order. It walks with a stack of its own rather than recursing: a body may nest arrays a
 * hundred thousand levels deep within the body limit, which would overflow the call stack.
 */
export function controlCharacterPaths(value: unknown): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: v, path } = pending.pop()!;
    if (typeof v === 'string') {
      if (CONTROL.test(v)) found.push(path || '/');
    } else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v)
        ? v.map((child, i) => [String(i), child] as const)
        : Object.entries(v).map(([k, child]) => [k.replace(/~/g, '~0').replace(/\//g, '~1'), child] as const);
      // Reversed, so the first child is taken off the stack first.
      for (let i = entries.length - 1; i >= 0; i -= 1)
        pending.push({ value: entries[i]![1], path: `${path}/${entries[i]![0]}` });
    }
  }
  return found;
}

/**
 * Bodies are validated strictly (no type coercion, unknown fields rejected, every issue
 * reported); query strings and path params arrive as text, so they are coerced.
 */
function makeAjv(options: Options) {
  const ajv = new Ajv.default({
    allErrors: true,
    strict: false,
    useDefaults: true,
    removeAdditional: false,
    ...options,
  });
  addFormats.default(ajv);
  return ajv;
}

export default fp(
  async function validationPlugin(app: FastifyInstance) {
    // One rule for every string of every route, before any schema or handler sees it, so a
    // stray NUL is a 400 naming the field instead of a database error; nothing is echoed back.
    app.addHook('preValidation', async (request) => {
      const issues: FieldIssue[] = [request.params, request.query, request.body]
        .flatMap((part) => controlCharacterPaths(part))
        .map((path) => ({ path, message: 'must not contain control characters (other than tab and newline)' }));
      if (issues.length > 0) throw validationFailed(issues);
    });

    const strict = makeAjv({ coerceTypes: false });
    const coercing = makeAjv({ coerceTypes: 'array' });
    let shared = false;
    app.setValidatorCompiler(({ schema, httpPart }) => {
      // Shared `$id` schemas are all registered before the first route compiles (at ready).
      if (!shared) {
        for (const s of Object.values(app.getSchemas())) {
          strict.addSchema(s as object);
          coercing.addSchema(s as object);
        }
        shared = true;
      }
      return httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema);
    });
  },
  { name: 'validation' },
);
