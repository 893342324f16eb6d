/**
 * Who may call what. Every route declares it once, in its config: `roles` (admin may always act
 * too) or `public: true`; a route that declares neither stops the server at start. Callers are a
 * person with a cookie session (HttpOnly, SameSite=Lax, CSRF token required on every change) or a
 * machine with a bearer token; both are looked up in the catalog on every request, so a disabled
 * user or a revoked token is refused at once.
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import session, { type SessionStore } from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, Session } from 'fastify';
import { AccessDeniedError } from '../../pipeline/errors.js';
import type { Accounts, Role } from '../../storage/catalog/index.js';
import { parseDossierCode, sha256 } from '../../storage/objects/index.js';
import { type Principal, sessionPrincipal, tokenPrincipal } from '../accounts.js';

/** Who may use one route, as the route declared it. */
export interface RouteAccess {
  method: string;
  url: string;
  /** Null for a public route. */
  roles: readonly Role[] | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with who may use it, in the order they were added (the role × route matrix). */
    routeAccess: RouteAccess[];
  }
  interface FastifyRequest {
    /** Set on every route that declares roles, once the caller is known and allowed. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Who may use the route (admin always may). */
    roles?: readonly Role[];
    /** The route needs no caller: sign-in, health, the app's static files. */
    public?: boolean;
  }
  interface Session {
    /** The signed-in user's name. */
    user?: string;
    /** The user's session epoch at sign-in: a password or role change since moves it on and ends the session. */
    epoch?: number;
  }
}

/** How long a web session lasts from sign-in, whatever is done in it: a working day. */
const SESSION_HOURS = 10;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sessions in the catalog, keyed by the SHA-256 of their id; only signed-in sessions are kept. */
class CatalogSessionStore implements SessionStore {
  constructor(private readonly accounts: Accounts) {}
  set(sessionId: string, data: Session, callback: (err?: unknown) => void): void {
    if (!data.user || data.epoch === undefined) {
      callback();
      return;
    }
    const expires = data.cookie.expires ? new Date(data.cookie.expires) : new Date(Date.now() + SESSION_HOURS * 3600_000);
    this.accounts.saveSession(sha256(sessionId), data.user, data, expires).then(() => callback(), callback);
  }
  get(sessionId: string, callback: (err: unknown, result?: Session | null) => void): void {
    this.accounts.session(sha256(sessionId)).then((data) => callback(null, (data as Session | null) ?? null), callback);
  }
  destroy(sessionId: string, callback: (err?: unknown) => void): void {
    this.accounts.endSession(sha256(sessionId)).then(() => callback(), callback);
  }
}

export interface AuthOptions {
  accounts: Accounts;
  /** Signs the session cookie; kept in the catalog, so every API process shares it. */
  sessionSecret: string;
  /** Redis for the sign-in rate limit, shared by every API process. */
  redis: import('ioredis').Redis;
  redisPrefix: string;
  /** The app is reached over HTTPS: the session cookie is Secure. */
  https: boolean;
  /**
   * Routes added by other plugins (API docs, queue board), which cannot declare their roles
   * themselves. `csrf: false` for a plugin whose own pages send no CSRF token: the SameSite=Strict
   * cookie and the Sec-Fetch-Site check still keep other sites' requests out.
   */
  pluginRoutes: { prefix: string; roles: readonly Role[] | null; csrf?: boolean }[];
  /** Records a bearer token refused (unknown, revoked, expired, its user disabled) in the audit log. */
  recordRefusedToken: (request: FastifyRequest) => Promise<void>;
}

/** The caller, from a bearer token or the session; null when there is none or it is no longer valid. */
export async function callerOf(request: FastifyRequest, accounts: Accounts): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    return token ? tokenPrincipal(accounts, token) : null;
  }
  const user = request.session.get('user');
  const epoch = request.session.get('epoch');
  return user && epoch !== undefined ? sessionPrincipal(accounts, user, epoch) : null;
}

/** A station acts for its own agency only: the agency that received a dossier opens its code. */
export function assertAgencyAccess(principal: Principal, dossierCode: string): void {
  if (principal.role === 'station' && parseDossierCode(dossierCode).agencyCode !== principal.agency) {
    throw new AccessDeniedError(`station of ${principal.agency} may not act on dossier ${dossierCode}`);
  }
}

/**
 * Registers cookies, sessions, CSRF protection and the sign-in rate limit, and the hook that
 * guards every route by its declared roles. Call before any route is added.
 */
export async function registerAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(cookie);
  await app.register(session, {
    secret: options.sessionSecret,
    cookieName: 'sohoa_session',
    store: new CatalogSessionStore(options.accounts),
    saveUninitialized: false,
    // Not renewed by use: a session ends SESSION_HOURS after sign-in. Strict: no other site's link or
    // form carries it (the app itself is one origin).
    rolling: false,
    // Secure only when the app is reached over HTTPS: a browser drops a Secure cookie over plain HTTP.
    cookie: { httpOnly: true, sameSite: 'strict', secure: options.https, path: '/', maxAge: SESSION_HOURS * 3600_000 },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    redis: options.redis,
    nameSpace: `${options.redisPrefix}:rate-limit:`,
  });
  const checkCsrf = (request: FastifyRequest, reply: FastifyReply) =>
    new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (err?: unknown) => (err ? reject(err) : resolve()));
    });
  const access: RouteAccess[] = [];
  app.decorate('routeAccess', access);
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config as { roles?: readonly Role[]; public?: boolean } | undefined;
    const plugin = options.pluginRoutes.find((p) => route.url.startsWith(p.prefix));
    const roles = plugin ? plugin.roles : config?.public ? null : config?.roles;
    if (roles === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares neither roles nor public`);
    for (const method of toArray(route.method)) access.push({ method, url: route.url, roles });
    if (roles === null) return;
    const guard = async (request: FastifyRequest, reply: FastifyReply) => {
      const principal = await callerOf(request, options.accounts);
      // Answered here, not thrown: a plugin's own error handler (the queue board has one) would make it a 500.
      const refuse = (err: AccessDeniedError) => {
        // A refused request's body is not read at all: the connection ends with the answer, rather
        // than Node reading the rest of a large upload to throw it away.
        if (request.headers['content-length'] || request.headers['transfer-encoding']) reply.header('connection', 'close');
        return reply.status(err.httpStatus).send({ error: err.code, message: err.message });
      };
      if (!principal) {
        if (request.headers.authorization !== undefined) await options.recordRefusedToken(request);
        return refuse(new AccessDeniedError('sign in, or send a bearer token', 401));
      }
      if (principal.role !== 'admin' && !roles.includes(principal.role)) {
        return refuse(new AccessDeniedError(`role ${principal.role} may not do this (needs ${roles.join(' or ')})`));
      }
      request.principal = principal;
      if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
        // Browsers say where a request comes from; a change from another site is refused whatever it carries.
        const site = request.headers['sec-fetch-site'];
        if (site !== undefined && site !== 'same-origin')
          return refuse(new AccessDeniedError(`a change requested from ${site} is refused`));
        if (plugin?.csrf !== false) await checkCsrf(request, reply);
      }
    };
    // onRequest: the caller is known and allowed before a byte of the body is read.
    route.onRequest = [guard, ...toArray(route.onRequest)];
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
