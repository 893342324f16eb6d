/**
 * Signing in and out of the web app. Sign-in is rate-limited per address and user name (in Redis,
 * so every API process counts together), the session id is renewed on sign-in, and each attempt,
 * good or bad, is in the audit log.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError } from '../../../pipeline/errors.js';
import { checkPassword, sessionPrincipal } from '../../accounts.js';
import { ErrorBody, SessionBody, SignInBody } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** Tries of one user name from one address per minute. */
const SIGN_IN_TRIES = 10;
const ALL_ROLES = ['station', 'archivist', 'reform', 'admin'] as const;

export function sessionRoutes({ catalog }: RouteDeps): FastifyPluginAsync {
  const { accounts } = catalog;
  const describe = async (reply: FastifyReply, name: string) => {
    const user = (await accounts.user(name))!;
    return {
      user: user.name,
      displayName: user.displayName,
      role: user.role,
      agencyCode: user.agencyCode,
      csrfToken: await reply.generateCsrf(),
    };
  };
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/session',
      {
        schema: { body: SignInBody, response: { 200: SessionBody, '4xx': ErrorBody } },
        config: {
          public: true,
          rateLimit: {
            max: SIGN_IN_TRIES,
            timeWindow: 60_000,
            keyGenerator: (request: FastifyRequest) =>
              `${request.ip}|${String((request.body as { user?: unknown } | undefined)?.user).toLowerCase()}`,
          },
        },
      },
      async (request, reply) => {
        const name = request.body.user.trim().toLowerCase();
        const principal = await checkPassword(accounts, name, request.body.password);
        if (!principal) {
          await catalog.recordAudit(name, 'sign-in-refused', 'session', { ip: request.ip });
          throw new AccessDeniedError('wrong user name or password, or the account is disabled', 401);
        }
        // A new id on sign-in: a session id known before it is worth nothing after.
        await request.session.regenerate();
        request.session.set('user', principal.user);
        await catalog.recordAudit(principal.user, 'sign-in', 'session', { ip: request.ip });
        return describe(reply, principal.user);
      },
    );

    app.get(
      '/api/session',
      { schema: { response: { 200: SessionBody, '4xx': ErrorBody } }, config: { public: true } },
      async (request, reply) => {
        const name = request.session.get('user');
        const principal = name ? await sessionPrincipal(accounts, name) : null;
        if (!principal) throw new AccessDeniedError('not signed in', 401);
        return describe(reply, principal.user);
      },
    );

    app.delete('/api/session', { config: { roles: ALL_ROLES } }, async (request, reply) => {
      await catalog.recordAudit(request.principal!.user, 'sign-out', 'session');
      await request.session.destroy();
      return reply.status(204).send();
    });
  };
}
