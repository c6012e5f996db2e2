import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The OpenAPI document is produced from the route schemas themselves, so it cannot drift from
 * what the server validates; the web app's typed client is generated from it.
 */
export default fp(
  async function openapiPlugin(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'IESCP API',
          version: '1.0.0',
          description: 'Influencer Engagement & Sponsorship Coordination Platform. Errors are RFC 9457 problem+json.',
        },
        servers: [{ url: '/' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      },
      // Uploads are read as streams (request.file()), not validated as a body schema, so their
      // multipart request body is described here for the document and the generated client.
      transformObject: (document) => {
        if (!('openapiObject' in document)) return document.swaggerObject;
        const { openapiObject } = document;
        const avatar = openapiObject.paths?.['/api/v1/me/avatar']?.put;
        if (avatar) {
          avatar.requestBody = {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', format: 'binary', description: 'PNG, JPEG or WebP, at most 2 MiB' },
                  },
                },
              },
            },
          };
        }
        return openapiObject;
      },
      refResolver: {
        // Components keep their `$id` names (User, Session, …) instead of def-N.
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
