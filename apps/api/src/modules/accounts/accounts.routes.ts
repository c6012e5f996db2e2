import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { unauthenticated, validationFailed } from '../../lib/errors.js';
import { errors, Ref } from '../../lib/schemas.js';
import { actorOf, sessionOf } from '../../plugins/auth.js';
import type { ModuleContext } from '../module.js';
import {
  ChangePasswordBody,
  LoginBody,
  RefreshBody,
  Session,
  SignupBody,
  UpdateMeBody,
  User,
} from './accounts.schemas.js';
import type { SessionDto } from './accounts.service.js';

export const REFRESH_COOKIE = 'iescp_refresh';
const COOKIE_PATH = '/api/v1/auth';

/** Auth (sign-up, login, refresh, logout), the caller's own account, and avatar images. */
export const accountsRoutes: FastifyPluginAsyncTypebox<ModuleContext> = async (app, { config, services }) => {
  const { accounts, avatars, sessions } = services;
  const secureCookie = config.PUBLIC_URL?.startsWith('https://') ?? false;

  // The web app keeps the refresh token in an httpOnly cookie scoped to the auth routes;
  // other clients use the token in the body.
  function withCookie(reply: FastifyReply, session: SessionDto) {
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie,
      path: COOKIE_PATH,
      maxAge: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
    });
    return session;
  }

  app.post(
    '/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a sponsor or influencer account',
        body: SignupBody,
        response: { 201: Ref(Session), ...errors(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await accounts.signup(request.body, request.ip);
      return reply.code(201).send(withCookie(reply, session));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        body: LoginBody,
        response: { 200: Ref(Session), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => withCookie(reply, await accounts.login(request.body, request.ip)),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token (body or cookie) for a new pair',
        body: RefreshBody,
        response: { 200: Ref(Session), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const presented = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (!presented) throw unauthenticated('No refresh token was presented.');
      return withCookie(reply, await accounts.refresh(presented));
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['auth'],
        summary:
          "End the caller's session and the refresh token's (body or cookie), or all sessions when none is given; their access tokens stop working at once",
        security: [{ bearer: [] }],
        body: RefreshBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const presented = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
      await sessions.logout(actorOf(request).id, sessionOf(request), presented);
      reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'The signed-in user',
        security: [{ bearer: [] }],
        response: { 200: Ref(User), ...errors(401, 403) },
      },
    },
    async (request) => accounts.me(actorOf(request)),
  );

  app.patch(
    '/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: "Update the display name and the own role's profile (partial; platforms replaces the list)",
        security: [{ bearer: [] }],
        body: UpdateMeBody,
        response: { 200: Ref(User), ...errors(400, 401, 403) },
      },
    },
    async (request) => accounts.updateMe(actorOf(request), request.body),
  );

  app.post(
    '/me/password',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Change the password (the current one is required); every other session ends at once',
        security: [{ bearer: [] }],
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await accounts.changePassword(actorOf(request), sessionOf(request), request.body, request.ip);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/me/avatar',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Upload an avatar (multipart field `file`: PNG, JPEG or WebP, at most 2 MiB)',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        response: { 200: Ref(User), ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const file = await request.file({ limits: { fileSize: avatars.maxBytes, files: 1, fields: 10 } });
      if (!file || file.fieldname !== 'file') {
        throw validationFailed(
          [{ path: '/file', message: 'is required' }],
          'Send the image in the multipart field "file".',
        );
      }
      const bytes = await file.toBuffer();
      return avatars.replace(actor, bytes);
    },
  );

  app.get(
    '/avatars/:key',
    {
      schema: {
        tags: ['me'],
        summary: 'An avatar image (content-addressed, cacheable forever)',
        params: Type.Object({ key: Type.String({ maxLength: 64 }) }),
        produces: ['image/webp'],
        response: { ...errors(404) },
      },
    },
    async (request, reply) => {
      const image = await avatars.get(request.params.key);
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(image.contentType)
        .send(image.bytes);
    },
  );
};
