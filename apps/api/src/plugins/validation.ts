import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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
