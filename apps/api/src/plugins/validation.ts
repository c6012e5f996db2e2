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

/** The JSON pointers of every string in `value` that holds a control character. */
export function controlCharacterPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return CONTROL.test(value) ? [path || '/'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => controlCharacterPaths(v, `${path}/${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      controlCharacterPaths(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    );
  }
  return [];
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
