/**
 * Who is asking, and the rules over the catalog's accounts: passwords hashed with scrypt (memory-hard,
 * from Node's own OpenSSL), machine tokens shown once and kept as SHA-256, and the principal a
 * request acts as. The HTTP API and the CLI share these.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { UsageError } from '../pipeline/errors.js';
import { type Accounts, ROLES, type Role, type TokenRow, type UserRow } from '../storage/catalog/index.js';
import { assertAgencyCode, sha256 } from '../storage/objects/index.js';
import { MIN_PASSWORD_LENGTH } from './password-rule.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** The caller of a request or a command: a person signed in, or a machine's token. */
export interface Principal {
  /** User name, or for a machine its token's name and id: `scanner-1 (token 3fa2c901)`. */
  user: string;
  role: Role;
  /** The agency a station scans for. */
  agency: string | null;
  via: 'session' | 'token' | 'cli';
  /** For a person, the epoch a new session of theirs is signed in under. */
  sessionEpoch?: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB of memory per hash: costly to guess at scale, quick enough to sign in. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const;
const MAX_MEMORY = 64 * 2 ** 20;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: MAX_MEMORY });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY };
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, options);
  return timingSafeEqual(actual, expected);
}

/** A password for a new account, to be changed by its owner: 16 characters, about 96 bits. */
export function newPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** A hash that no password matches, checked when the user does not exist so timing does not tell. */
const NO_USER_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/** The signed-in principal, or null when the name or password is wrong or the user is disabled. */
export async function checkPassword(accounts: Accounts, name: string, password: string): Promise<Principal | null> {
  const found = await accounts.credentials(userName(name));
  const matches = await verifyPassword(password, found?.passwordHash ?? NO_USER_HASH);
  if (!found || !matches || found.user.disabled) return null;
  return principalOfUser(found.user, 'session');
}

export function principalOfUser(user: UserRow, via: Principal['via']): Principal {
  return { user: user.name, role: user.role, agency: user.agencyCode, via, sessionEpoch: user.sessionEpoch };
}

/**
 * The principal of a session: the user read again, so a disabled or changed user takes effect at
 * once; a session signed in under an earlier epoch (before a password or role change) is over.
 */
export async function sessionPrincipal(accounts: Accounts, name: string, epoch: number): Promise<Principal | null> {
  const user = await accounts.user(name);
  if (!user || user.disabled || epoch !== user.sessionEpoch) return null;
  return principalOfUser(user, 'session');
}

/** `sohoa_<id>_<secret>`: the id names the token in lists and the audit log, the secret is never stored. */
const TOKEN = /^sohoa_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export async function tokenPrincipal(accounts: Accounts, token: string): Promise<Principal | null> {
  if (!TOKEN.test(token)) return null;
  const row = await accounts.useToken(sha256(token));
  return row ? { user: `${row.name} (token ${row.id})`, role: row.role, agency: row.agencyCode, via: 'token' } : null;
}

export interface IssuedToken {
  token: string;
  row: TokenRow;
}

export async function issueToken(
  accounts: Accounts,
  request: { name: string; role: string; agencyCode?: string | null },
  createdBy: string,
): Promise<IssuedToken> {
  const role = assertRole(request.role);
  const agencyCode = agencyFor(role, request.agencyCode);
  if (!request.name.trim()) throw new UsageError('a token needs a name saying what uses it');
  // Hex: an id is typed on command lines, where a leading '-' would read as an option.
  const id = randomBytes(4).toString('hex');
  const token = `sohoa_${id}_${randomBytes(32).toString('base64url')}`;
  const row = await accounts.addToken({ id, name: request.name.trim(), role, agencyCode, sha256: sha256(token), createdBy });
  return { token, row };
}

export function assertRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

/** A station scans for one agency; the other roles see every agency. */
export function agencyFor(role: Role, agencyCode: string | null | undefined): string | null {
  if (role !== 'station') return null;
  if (!agencyCode) throw new UsageError('a station needs the agency code it scans for (e.g. 000.00.15.H17)');
  return assertAgencyCode(agencyCode);
}

export interface NewUserRequest {
  name: string;
  displayName?: string;
  role: string;
  agencyCode?: string | null;
  password: string;
}

/** A user name as kept: trimmed, lower case, NFC. */
export function userName(typed: string): string {
  return typed.normalize('NFC').trim().toLowerCase();
}

export async function addUser(accounts: Accounts, request: NewUserRequest): Promise<UserRow> {
  const role = assertRole(request.role);
  const name = userName(request.name);
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/.test(name))
    throw new UsageError(`user name "${request.name}" may hold a-z, 0-9 and . _ @ - (2 to 64)`);
  return accounts.addUser({
    name,
    displayName: request.displayName?.trim() || name,
    role,
    agencyCode: agencyFor(role, request.agencyCode),
    passwordHash: await hashPassword(request.password),
  });
}
