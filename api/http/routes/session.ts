/**
 * Signing in and out of the web app. Sign-in is rate-limited per address and user name (in Redis,
 * so every API process counts together), the session id is renewed on sign-in, and each attempt,
 * good or bad, is in the audit log.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError } from '../../../pipeline/errors.js';
import { ROLES } from '../../../storage/catalog/index.js';
import { checkPassword, hashPassword, sessionPrincipal, userName } from '../../accounts.js';
import { ErrorBody, PasswordChangeBody, SessionBody, SignInBody } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** Tries of one user name from one address per minute. */
const SIGN_IN_TRIES = 10;
/** Tries from one address per minute, whatever the names. */
const SIGN_IN_TRIES_PER_ADDRESS = 50;

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
        },
        // Two limits: per user name however it is typed, from every address together; and per address.
        preHandler: [
          instance.rateLimit({
            max: SIGN_IN_TRIES,
            timeWindow: 60_000,
            keyGenerator: (request: FastifyRequest) => `user|${userName(String((request.body as { user?: unknown } | undefined)?.user))}`,
          }),
          instance.rateLimit({ max: SIGN_IN_TRIES_PER_ADDRESS, timeWindow: 60_000, keyGenerator: (request) => `address|${request.ip}` }),
        ],
      },
      async (request, reply) => {
        const name = userName(request.body.user);
        const principal = await checkPassword(accounts, name, request.body.password);
        if (!principal) {
          await catalog.recordAudit(name, 'sign-in-refused', 'session', { ip: request.ip });
          throw new AccessDeniedError('wrong user name or password, or the account is disabled', 401);
        }
        // A new id on sign-in: a session id known before it is worth nothing after.
        await request.session.regenerate();
        request.session.set('user', principal.user);
        request.session.set('epoch', principal.sessionEpoch!);
        await catalog.recordAudit(principal.user, 'sign-in', 'session', { ip: request.ip });
        return describe(reply, principal.user);
      },
    );

    app.get(
      '/api/session',
      { schema: { response: { 200: SessionBody, '4xx': ErrorBody } }, config: { public: true } },
      async (request, reply) => {
        const name = request.session.get('user');
        const epoch = request.session.get('epoch');
        const principal = name && epoch !== undefined ? await sessionPrincipal(accounts, name, epoch) : null;
        if (!principal) throw new AccessDeniedError('not signed in', 401);
        return describe(reply, principal.user);
      },
    );

    app.put(
      '/api/session/password',
      { schema: { body: PasswordChangeBody, response: { 200: SessionBody, '4xx': ErrorBody } }, config: { roles: ROLES } },
      async (request, reply) => {
        const { principal } = request;
        if (principal!.via !== 'session') throw new AccessDeniedError('a password is changed by the person, signed in');
        if (!(await checkPassword(accounts, principal!.user, request.body.current))) {
          await catalog.recordAudit(principal!.user, 'change-password-refused', principal!.user);
          throw new AccessDeniedError('the current password is wrong', 403);
        }
        // Every session of the user ends, this one too; it goes on under a new id.
        const changed = await accounts.updateUser(principal!.user, { passwordHash: await hashPassword(request.body.password) });
        await catalog.recordAudit(principal!.user, 'change-user', principal!.user, { password: 'changed' });
        await request.session.regenerate();
        request.session.set('user', principal!.user);
        request.session.set('epoch', changed!.sessionEpoch);
        return describe(reply, principal!.user);
      },
    );

    app.delete('/api/session', { config: { roles: ROLES } }, async (request, reply) => {
      await catalog.recordAudit(request.principal!.user, 'sign-out', 'session');
      await request.session.destroy();
      return reply.status(204).send();
    });
  };
}
