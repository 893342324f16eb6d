/** What only an admin does: users, machine tokens, coverage thresholds and the audit log; every change audited. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, UsageError } from '../../../pipeline/errors.js';
import { addUser, agencyFor, assertRole, hashPassword, issueToken, newPassword } from '../../accounts.js';
import { coverageThresholds, setCoverageThresholds, setSigningAgencies, signingAgencies } from '../../settings.js';
import {
  AuditBody,
  AuditQuery,
  ErrorBody,
  NewPasswordBody,
  NewTokenBody,
  NewUserBody,
  SigningBody,
  ThresholdsBody,
  TokenBody,
  TokenIssuedBody,
  TokenParams,
  TokensBody,
  UserBody,
  UserChangeBody,
  UserCreatedBody,
  UserParams,
  UsersBody,
} from '../schemas.js';
import type { RouteDeps } from './deps.js';

const ADMIN = { roles: ['admin'] } as const;

export function adminRoutes({ services, catalog, audit }: RouteDeps): FastifyPluginAsync {
  const { accounts } = catalog;
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/api/users', { schema: { response: { 200: UsersBody } }, config: ADMIN }, async (request) => {
      await audit(request, 'list-users', '*');
      return accounts.users();
    });

    app.post(
      '/api/users',
      { schema: { body: NewUserBody, response: { 201: UserCreatedBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request, reply) => {
        const made = request.body.password === undefined ? newPassword() : undefined;
        const user = await addUser(accounts, { ...request.body, password: request.body.password ?? made! });
        await audit(request, 'add-user', user.name, { role: user.role, agencyCode: user.agencyCode });
        return reply.status(201).send({ user, password: made });
      },
    );

    app.patch(
      '/api/users/:name',
      { schema: { params: UserParams, body: UserChangeBody, response: { 200: UserBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request) => {
        const { name } = request.params;
        const current = await accounts.user(name);
        if (!current) throw new NotFoundError(`user ${name} does not exist`);
        // An admin cannot lock themself out: another admin has to.
        if (name === request.principal!.user && (request.body.disabled || (request.body.role && request.body.role !== 'admin'))) {
          throw new UsageError('you cannot disable yourself or take away your own admin role');
        }
        const { password, ...change } = request.body;
        const role = change.role === undefined ? current.role : assertRole(change.role);
        const agencyCode =
          change.role !== undefined || change.agencyCode !== undefined
            ? agencyFor(role, change.agencyCode ?? current.agencyCode)
            : undefined;
        const updated = await accounts.updateUser(name, {
          ...change,
          role: change.role === undefined ? undefined : role,
          agencyCode,
          passwordHash: password === undefined ? undefined : await hashPassword(password),
        });
        // The audit says what changed, never the password.
        await audit(request, 'change-user', name, { ...change, ...(password === undefined ? {} : { password: 'changed' }) });
        return updated!;
      },
    );

    app.post(
      '/api/users/:name/password',
      { schema: { params: UserParams, response: { 200: NewPasswordBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request) => {
        const password = newPassword();
        const updated = await accounts.updateUser(request.params.name, { passwordHash: await hashPassword(password) });
        if (!updated) throw new NotFoundError(`user ${request.params.name} does not exist`);
        await audit(request, 'change-user', updated.name, { password: 'reset' });
        return { password };
      },
    );

    app.get('/api/tokens', { schema: { response: { 200: TokensBody } }, config: ADMIN }, async (request) => {
      await audit(request, 'list-tokens', '*');
      return accounts.tokens();
    });

    app.post(
      '/api/tokens',
      { schema: { body: NewTokenBody, response: { 201: TokenIssuedBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request, reply) => {
        const issued = await issueToken(accounts, request.body, request.principal!.user);
        await audit(request, 'issue-token', issued.row.id, {
          name: issued.row.name,
          role: issued.row.role,
          agencyCode: issued.row.agencyCode,
        });
        return reply.status(201).send(issued);
      },
    );

    app.delete(
      '/api/tokens/:id',
      { schema: { params: TokenParams, response: { 200: TokenBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request) => {
        const revoked = await accounts.revokeToken(request.params.id);
        if (!revoked) throw new NotFoundError(`no live token ${request.params.id}`);
        await audit(request, 'revoke-token', revoked.id, { name: revoked.name });
        return revoked;
      },
    );

    app.get('/api/settings/thresholds', { schema: { response: { 200: ThresholdsBody } }, config: { roles: ['reform'] } }, async () =>
      coverageThresholds(catalog, services.config),
    );

    app.put(
      '/api/settings/thresholds',
      { schema: { body: ThresholdsBody, response: { 200: ThresholdsBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request) => {
        const before = await coverageThresholds(catalog, services.config);
        const after = await setCoverageThresholds(catalog, request.body, request.principal!.user);
        await audit(request, 'set-thresholds', 'coverage', { before, after });
        return after;
      },
    );

    app.get('/api/settings/signing', { schema: { response: { 200: SigningBody } }, config: ADMIN }, async () => ({
      agencies: await signingAgencies(catalog),
    }));

    app.put(
      '/api/settings/signing',
      { schema: { body: SigningBody, response: { 200: SigningBody, '4xx': ErrorBody } }, config: ADMIN },
      async (request) => {
        const before = await signingAgencies(catalog);
        const agencies = await setSigningAgencies(catalog, request.body.agencies, request.principal!.user);
        await audit(request, 'set-signing', 'signing', { before, after: agencies });
        return { agencies };
      },
    );

    app.get('/api/audit', { schema: { querystring: AuditQuery, response: { 200: AuditBody } }, config: ADMIN }, async (request) => {
      const { limit: _limit, offset: _offset, ...filters } = request.query;
      await audit(request, 'read-audit', '*', filters);
      return catalog.audit(request.query);
    });
  };
}
