/**
 * Accounts end to end on a real catalog (PGlite, and PostgreSQL when DATABASE_URL is set) and a real
 * Redis: scrypt passwords, cookie sessions with CSRF, the sign-in rate limit, tokens revoked or users
 * disabled taking effect on the next request, stations kept to their agency, every admin action
 * audited, the CLI's first setup, and the whole role × route matrix.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, checkPassword, hashPassword, tokenPrincipal, verifyPassword } from '../api/accounts.js';
import { startApiServer } from '../api/http/index.js';
import { Catalog, ROLES, type Role } from '../storage/catalog/index.js';
import { openPipelineContext } from '../workers/index.js';
import { bearer, type RoleToken, roleTokens, STATION_AGENCY, signIn } from './support/accounts.js';
import { openTestApi, type TestApi } from './support/api-app.js';
import { catalogBackends, cleanupCatalogs, openCatalog } from './support/catalog-fixtures.js';
import { type TestEnvironment, testEnvironment } from './support/env.js';
import { runSohoa } from './support/run-cli.js';

afterAll(cleanupCatalogs);

describe('passwords', () => {
  it('are hashed with scrypt and a salt of their own, and only the right one matches', async () => {
    const [a, b] = await Promise.all([hashPassword('mật khẩu đủ dài'), hashPassword('mật khẩu đủ dài')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('mật khẩu đủ dài', a)).toBe(true);
    // The same letters typed decomposed (NFD) are the same password.
    expect(await verifyPassword('mật khẩu đủ dài'.normalize('NFD'), a)).toBe(true);
    expect(await verifyPassword('mat khau du dai', a)).toBe(false);
    await expect(hashPassword('ngắn')).rejects.toThrow(/at least 10 characters/);
  });
});

describe.each(catalogBackends)('accounts on $name', (backend) => {
  let api: TestApi;
  let catalog: Catalog;
  let app: FastifyInstance;
  let tokens: Record<Role, RoleToken>;
  const password = 'Hải Châu 2024 một cửa';

  beforeAll(async () => {
    api = await openTestApi(`accounts-${backend.name}`, backend);
    ({ catalog, app } = api);
    tokens = await roleTokens(catalog);
    await addUser(catalog.accounts, { name: 'lan.tran', displayName: 'Trần Thị Lan', role: 'archivist', password });
    await addUser(catalog.accounts, { name: 'hung.le', displayName: 'Lê Văn Hùng', role: 'station', agencyCode: STATION_AGENCY, password });
  });
  afterAll(() => api?.close());

  it('signs in with a cookie session: HttpOnly, SameSite, a new id, and a CSRF token every change must carry', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { user: 'Lan.Tran', password } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: 'lan.tran', displayName: 'Trần Thị Lan', role: 'archivist', agencyCode: null });
    const cookie = res.cookies.find((c) => c.name === 'sohoa_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const session = { cookie: `sohoa_session=${cookie.value}`, csrfToken: res.json().csrfToken as string };

    const me = await app.inject({ url: '/api/session', headers: { cookie: session.cookie } });
    expect(me.json()).toMatchObject({ user: 'lan.tran', role: 'archivist' });
    expect((await app.inject({ url: '/api/search?q=dat', headers: { cookie: session.cookie } })).statusCode).toBe(200);

    // A change without the CSRF token is refused, with it it goes through.
    expect((await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: session.cookie } })).statusCode).toBe(403);
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: session.cookie, 'csrf-token': session.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/session', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/search?q=dat', headers: { cookie: session.cookie } })).statusCode).toBe(401);
  });

  it('refuses a wrong password, and after ten tries a minute at a name, however it is typed, refuses even the right one', async () => {
    const tryPassword = (pw: string, user = 'khoa.vo') =>
      app.inject({ method: 'POST', url: '/api/session', payload: { user, password: pw } });
    const first = await tryPassword('sai mật khẩu rồi');
    expect(first.statusCode).toBe(401);
    expect(first.json().error).toBe('ACCESS_DENIED');
    for (const variant of ['Khoa.Vo', ' khoa.vo', 'KHOA.VO  ', 'khoa.vo', 'Khoa.vo', 'khoa.VO', ' Khoa.Vo ', 'khoa.vo', 'KHOA.vo']) {
      await tryPassword('sai mật khẩu rồi', variant);
    }
    await addUser(catalog.accounts, { name: 'khoa.vo', role: 'reform', password });
    const blocked = await tryPassword(password);
    expect(blocked.statusCode).toBe(429);
    const audit = await catalog.audit({ actor: 'khoa.vo', action: 'sign-in-refused' });
    expect(audit).toHaveLength(10);
  });

  it('refuses a change a browser says comes from another site, even with the CSRF token', async () => {
    const session = await signIn(app, 'lan.tran', password);
    const headers = { cookie: session.cookie, 'csrf-token': session.csrfToken };
    const forged = await app.inject({ method: 'DELETE', url: '/api/session', headers: { ...headers, 'sec-fetch-site': 'cross-site' } });
    expect(forged.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/session', headers })).statusCode).toBe(200);
    const own = await app.inject({ method: 'DELETE', url: '/api/session', headers: { ...headers, 'sec-fetch-site': 'same-origin' } });
    expect(own.statusCode).toBe(204);
  });

  it('lets a person change their own password with the current one; their other sessions end, this one goes on', async () => {
    const newPassword = 'một mật khẩu mới hơn';
    await addUser(catalog.accounts, { name: 'thu.ngo', role: 'archivist', password });
    const here = await signIn(app, 'thu.ngo', password);
    const elsewhere = await signIn(app, 'thu.ngo', password);
    const change = (current: string, session = here) =>
      app.inject({
        method: 'PUT',
        url: '/api/session/password',
        payload: { current, password: newPassword },
        headers: { cookie: session.cookie, 'csrf-token': session.csrfToken },
      });
    expect((await change('không phải mật khẩu')).statusCode).toBe(403);
    const changed = await change(password);
    expect(changed.statusCode).toBe(200);
    const cookie = changed.cookies.find((c) => c.name === 'sohoa_session')!;
    expect((await app.inject({ url: '/api/session', headers: { cookie: `sohoa_session=${cookie.value}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/session', headers: { cookie: here.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/session', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(401);
    expect(await checkPassword(catalog.accounts, 'thu.ngo', newPassword)).not.toBeNull();
    const byToken = await app.inject({
      method: 'PUT',
      url: '/api/session/password',
      payload: { current: password, password: newPassword },
      headers: bearer(tokens.admin),
    });
    expect(byToken.statusCode).toBe(403);
  });

  it("ends a disabled user's session and a revoked token on their next request", async () => {
    const session = await signIn(app, 'lan.tran', password);
    const search = (headers: Record<string, string>) => app.inject({ url: '/api/search?q=dat', headers });
    expect((await search({ cookie: session.cookie })).statusCode).toBe(200);
    const disable = await app.inject({
      method: 'PATCH',
      url: '/api/users/lan.tran',
      payload: { disabled: true },
      headers: bearer(tokens.admin),
    });
    expect(disable.statusCode).toBe(200);
    expect((await search({ cookie: session.cookie })).statusCode).toBe(401);
    expect(await checkPassword(catalog.accounts, 'lan.tran', password)).toBeNull();
    await app.inject({ method: 'PATCH', url: '/api/users/lan.tran', payload: { disabled: false }, headers: bearer(tokens.admin) });

    const issued = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'scanner quầy 2', role: 'station', agencyCode: STATION_AGENCY },
      headers: bearer(tokens.admin),
    });
    expect(issued.statusCode).toBe(201);
    const { token, row } = issued.json();
    expect(row).toMatchObject({ name: 'scanner quầy 2', role: 'station', agencyCode: STATION_AGENCY, revokedAt: null });
    const station = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: `/api/dossiers/${STATION_AGENCY}-240101-0001`, headers: station })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${row.id}`, headers: bearer(tokens.admin) })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/dossiers/${STATION_AGENCY}-240101-0001`, headers: station })).statusCode).toBe(401);
    const listed = (await app.inject({ url: '/api/tokens', headers: bearer(tokens.admin) })).json();
    expect(listed.find((t: { id: string }) => t.id === row.id).revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("keeps a station to its own agency's dossiers", async () => {
    const session = await signIn(app, 'hung.le', password);
    const read = (code: string) => app.inject({ url: `/api/dossiers/${code}/documents/1/progress`, headers: { cookie: session.cookie } });
    expect((await read(`${STATION_AGENCY}-240101-0001`)).statusCode).toBe(404);
    const other = await read('000.21.30.H17-240101-0001');
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toBe(`station of ${STATION_AGENCY} may not act on dossier 000.21.30.H17-240101-0001`);
  });

  it('lets an admin add users and set thresholds, each in the audit log; a made password is shown once', async () => {
    const added = await app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { name: 'mai.pham', displayName: 'Phạm Thị Mai', role: 'reform' },
      headers: bearer(tokens.admin),
    });
    expect(added.statusCode).toBe(201);
    const made = added.json().password as string;
    expect(made).toHaveLength(16);
    expect(await checkPassword(catalog.accounts, 'mai.pham', made)).toMatchObject({ user: 'mai.pham', role: 'reform' });
    const noAgency = await app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { name: 'tram.2', role: 'station', password },
      headers: bearer(tokens.admin),
    });
    expect(noAgency.statusCode).toBe(400);

    const reform = bearer(tokens.reform);
    expect((await app.inject({ url: '/api/settings/thresholds', headers: reform })).json()).toEqual({ warn: 50, target: 80 });
    expect(
      (await app.inject({ method: 'PUT', url: '/api/settings/thresholds', payload: { warn: 60, target: 85 }, headers: reform })).statusCode,
    ).toBe(403);
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/settings/thresholds',
      payload: { warn: 90, target: 85 },
      headers: bearer(tokens.admin),
    });
    expect(bad.statusCode).toBe(400);
    const set = await app.inject({
      method: 'PUT',
      url: '/api/settings/thresholds',
      payload: { warn: 60, target: 85 },
      headers: bearer(tokens.admin),
    });
    expect(set.json()).toEqual({ warn: 60, target: 85 });
    const coverage = (await app.inject({ url: '/api/coverage', headers: reform })).json();
    expect(coverage.thresholds).toEqual({ warn: 60, target: 85 });

    const audit = (
      await app.inject({ url: `/api/audit?actor=${encodeURIComponent(tokens.admin.actor)}`, headers: bearer(tokens.admin) })
    ).json();
    expect(audit.map((a: { action: string; target: string }) => `${a.action} ${a.target}`)).toEqual(
      expect.arrayContaining(['add-user mai.pham', 'set-thresholds coverage', 'change-user lan.tran']),
    );
    expect(JSON.stringify(audit)).not.toContain(made);
  });

  it('guards every route: anonymous callers get 401, roles not named 403, the others through (the role × route matrix)', async () => {
    // Parameters that name nothing that exists: the matrix checks who gets through, and changes no data.
    const sample: Record<string, string> = {
      code: `${STATION_AGENCY}-240101-0009`,
      number: '1',
      page: '1',
      name: 'nobody-here',
      id: 'AAAAAAAA',
      queueName: 'no-such-queue',
      jobId: 'no-such-job',
      queueStatus: 'failed',
      schedulerId: 'no-such-scheduler',
    };
    const routes = app.routeAccess.filter((r) => r.method !== 'HEAD');
    const callers: (Role | 'anonymous')[] = ['anonymous', ...ROLES];
    const outcomes: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, (_, param: string) => {
        if (!sample[param]) throw new Error(`no sample value for :${param} of ${route.url}`);
        return sample[param];
      });
      for (const caller of callers) {
        const headers = caller === 'anonymous' ? {} : bearer(tokens[caller]);
        const res = await app.inject({ method: route.method as 'GET', url, headers });
        const expected =
          route.roles === null
            ? 'through'
            : caller === 'anonymous'
              ? 401
              : caller === 'admin' || route.roles.includes(caller)
                ? 'through'
                : 403;
        // A public route may answer 401 itself (GET /api/session: "not signed in"), never 403.
        const refused = res.statusCode === 403 || (res.statusCode === 401 && route.roles !== null);
        const got = refused ? res.statusCode : 'through';
        if (got !== expected)
          outcomes.push(`${route.method} ${route.url} as ${caller}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(outcomes).toEqual([]);
    // Every route of the API is in the matrix, and no route slipped through without a declaration.
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const open = routes.filter((r) => r.roles === null && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
    const pages = [
      '/',
      '/account',
      '/admin',
      '/assets/:name',
      '/dossiers/:code',
      '/login',
      '/reform',
      '/search',
      '/station',
      '/viewer/:code/:number',
    ];
    const service = ['/api/health', '/api/session', '/healthz', '/metrics', '/readyz'];
    // Open: the app's pages and assets (it asks the API who is signed in), health, metrics, and signing in.
    expect(open.sort()).toEqual(
      [...pages, ...service]
        .map((url) => `GET ${url}`)
        .concat('POST /api/session')
        .sort(),
    );
    // The API description is open too, and read-only.
    expect(new Set(routes.filter((r) => r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.roles}`))).toEqual(
      new Set(['GET null']),
    );
  });
});

describe('first start', () => {
  it('makes the admin, its password in a file only its owner reads, and only once', async () => {
    const env = await testEnvironment('first-start', { PORT: '0' });
    const ctx = await openPipelineContext(env.config);
    const { catalog } = await openCatalog(catalogBackends[0]!);
    const services = { config: env.config, ctx, catalog, close: async () => {} };
    try {
      const first = await startApiServer(env.config, services);
      await first.close();
      expect(first.firstAdmin?.name).toBe('admin');
      const file = first.firstAdmin!.passwordFile;
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const password = fs.readFileSync(file, 'utf8').trim();
      expect(await checkPassword(catalog.accounts, 'admin', password)).toMatchObject({ user: 'admin', role: 'admin' });
      const again = await startApiServer(env.config, services);
      await again.close();
      expect(again.firstAdmin).toBeUndefined();
    } finally {
      await catalog.close();
      await ctx.close();
      await env.cleanup();
    }
  });
});

describe('first setup on the command line', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await testEnvironment('accounts-cli');
  });
  afterAll(async () => env?.cleanup());

  it('sohoa user add|disable and token issue|revoke change what the catalog lets in', async () => {
    const name = `tram.${randomBytes(3).toString('hex')}`;
    const added = await runSohoa(env.env, 'user', 'add', name, '--role', 'station', '--agency', STATION_AGENCY, '--display-name', 'Quầy 1');
    expect(added.status, added.stderr).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password).toBeDefined();
    const issued = await runSohoa(env.env, 'token', 'issue', `scanner-${name}`, '--role', 'station', '--agency', STATION_AGENCY);
    expect(issued.status, issued.stderr).toBe(0);
    const token = /token \(shown once.*\): (sohoa_\S+)/.exec(issued.stdout)?.[1];
    const id = /^sohoa_([0-9a-f]{8})_/.exec(token ?? '')?.[1];

    const check = async () => {
      const catalog = await Catalog.open(env.config);
      try {
        return { user: await checkPassword(catalog.accounts, name, password!), token: await tokenPrincipal(catalog.accounts, token!) };
      } finally {
        await catalog.close();
      }
    };
    expect(await check()).toEqual({
      user: { user: name, role: 'station', agency: STATION_AGENCY, via: 'session', sessionEpoch: 0 },
      token: { user: `scanner-${name} (token ${id})`, role: 'station', agency: STATION_AGENCY, via: 'token' },
    });
    expect((await runSohoa(env.env, 'user', 'disable', name)).status).toBe(0);
    expect((await runSohoa(env.env, 'token', 'revoke', id!)).status).toBe(0);
    expect(await check()).toEqual({ user: null, token: null });
    const listed = await runSohoa(env.env, 'user', 'list');
    expect(listed.stdout).toMatch(
      new RegExp(`^${name.replace('.', '\\.')}\\s+station\\s+${STATION_AGENCY.replaceAll('.', '\\.')}\\s+disabled\\s+Quầy 1$`, 'm'),
    );
    expect((await runSohoa(env.env, 'user', 'add', 'x', '--role', 'boss')).status).toBe(64);
  });
});
