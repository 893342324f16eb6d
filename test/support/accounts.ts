/** Callers for API tests: a bearer token per role (made as an admin would), and a signed-in browser session. */
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../api/accounts.js';
import { type Catalog, ROLES, type Role } from '../../storage/catalog/index.js';

/** The agency the test stations scan for (the sample dossier's). */
export const STATION_AGENCY = '000.00.15.H17';

export interface RoleToken {
  token: string;
  /** What the audit log names this caller. */
  actor: string;
}

/** A token for each role, named `<role>-nguyen`; the station's is for STATION_AGENCY unless told otherwise. */
export async function roleTokens(catalog: Catalog, stationAgency = STATION_AGENCY): Promise<Record<Role, RoleToken>> {
  const tokens = {} as Record<Role, RoleToken>;
  for (const role of ROLES) {
    const { token, row } = await issueToken(catalog.accounts, { name: `${role}-nguyen`, role, agencyCode: stationAgency }, 'test');
    tokens[role] = { token, actor: `${row.name} (token ${row.id})` };
  }
  return tokens;
}

export const bearer = (token: RoleToken) => ({ authorization: `Bearer ${token.token}` });

export interface BrowserSession {
  cookie: string;
  csrfToken: string;
}

/** Signs in through POST /api/session as a browser does; the cookie and CSRF token to send back. */
export async function signIn(app: FastifyInstance, user: string, password: string): Promise<BrowserSession> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { user, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${user}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sohoa_session');
  if (!cookie) throw new Error('sign-in set no session cookie');
  return { cookie: `sohoa_session=${cookie.value}`, csrfToken: res.json().csrfToken };
}
