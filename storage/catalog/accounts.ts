/**
 * Accounts kept in the catalog: users, machine tokens, web sessions and settings. Only hashes of
 * passwords, tokens and session ids are stored; hashing and checking them is the api floor's job.
 * Every check reads these tables again, so a disabled user or a revoked token stops at once.
 */
import { UsageError } from '../../pipeline/errors.js';
import { isoTime, type SqlClient } from './sql.js';

export const ROLES = ['station', 'archivist', 'reform', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRow {
  name: string;
  displayName: string;
  role: Role;
  /** The agency a station scans for; null for other roles. */
  agencyCode: string | null;
  disabled: boolean;
  createdAt: string;
  /** Sessions signed in under another epoch are over. */
  sessionEpoch: number;
}

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface UserDb {
  name: string;
  display_name: string;
  role: Role;
  agency_code: string | null;
  disabled: boolean;
  created_at: Date | string;
  session_epoch: number;
}

interface TokenDb {
  id: string;
  name: string;
  role: Role;
  agency_code: string | null;
  created_by: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
}

const USER_COLUMNS = 'name, display_name, role, agency_code, disabled, created_at, session_epoch';
const TOKEN_COLUMNS = 'id, name, role, agency_code, created_by, created_at, revoked_at, last_used_at';

const isoOrNull = (value: Date | string | null) => (value === null ? null : isoTime(value));

function userRow(r: UserDb): UserRow {
  return {
    name: r.name,
    displayName: r.display_name,
    role: r.role,
    agencyCode: r.agency_code,
    disabled: r.disabled,
    createdAt: isoTime(r.created_at),
    sessionEpoch: r.session_epoch,
  };
}

function tokenRow(r: TokenDb): TokenRow {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    agencyCode: r.agency_code,
    createdBy: r.created_by,
    createdAt: isoTime(r.created_at),
    revokedAt: isoOrNull(r.revoked_at),
    lastUsedAt: isoOrNull(r.last_used_at),
  };
}

export interface NewUser {
  name: string;
  displayName: string;
  role: Role;
  agencyCode: string | null;
  passwordHash: string;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  agencyCode?: string | null;
  disabled?: boolean;
  passwordHash?: string;
}

/** Unique-key and check violations are the caller's mistake, not a server failure. */
function asUsageError(err: unknown, what: string): unknown {
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  if (code === '23505') return new UsageError(`${what} already exists`);
  if (code === '23514' || code === '23502') return new UsageError(`${what} breaks the rule ${String(constraint ?? 'of its table')}`);
  return err;
}

export class Accounts {
  constructor(private readonly sql: SqlClient) {}

  async userCount(): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return row!.n;
  }

  async addUser(user: NewUser): Promise<UserRow> {
    try {
      const [row] = await this.sql.query<UserDb>(
        `INSERT INTO users (name, display_name, role, agency_code, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
        [user.name, user.displayName, user.role, user.agencyCode, user.passwordHash],
      );
      return userRow(row!);
    } catch (err) {
      throw asUsageError(err, `user "${user.name}"`);
    }
  }

  async users(): Promise<UserRow[]> {
    return (await this.sql.query<UserDb>(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`)).map(userRow);
  }

  async user(name: string): Promise<UserRow | null> {
    const [row] = await this.sql.query<UserDb>(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]);
    return row ? userRow(row) : null;
  }

  /** The user and the hash of their password, for signing in. */
  async credentials(name: string): Promise<{ user: UserRow; passwordHash: string } | null> {
    const [row] = await this.sql.query<UserDb & { password_hash: string }>(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE name = $1`,
      [name],
    );
    return row ? { user: userRow(row), passwordHash: row.password_hash } : null;
  }

  /** Changes what is given; a disabled user's sessions end with it. Null when there is no such user. */
  async updateUser(name: string, change: UserChange): Promise<UserRow | null> {
    const columns: [string, unknown][] = [
      ['display_name', change.displayName],
      ['role', change.role],
      ['agency_code', change.agencyCode],
      ['disabled', change.disabled],
      ['password_hash', change.passwordHash],
    ];
    const set = columns.filter(([, value]) => value !== undefined);
    if (set.length === 0) return this.user(name);
    const params: unknown[] = [name];
    const assignments = set.map(([column, value]) => `${column} = $${params.push(value)}`);
    try {
      return await this.sql.transaction(async (tx) => {
        // Disabled, a new password or another role: every session signed in so far is over.
        const endSessions = Boolean(change.disabled || change.passwordHash || change.role);
        const [row] = await tx.query<UserDb>(
          `UPDATE users SET ${assignments.join(', ')}, updated_at = now()${endSessions ? ', session_epoch = session_epoch + 1' : ''}
           WHERE name = $1 RETURNING ${USER_COLUMNS}`,
          params,
        );
        if (row && endSessions) await tx.query('DELETE FROM sessions WHERE user_name = $1', [name]);
        return row ? userRow(row) : null;
      });
    } catch (err) {
      throw asUsageError(err, `user "${name}"`);
    }
  }

  async addToken(token: {
    id: string;
    name: string;
    role: Role;
    agencyCode: string | null;
    sha256: string;
    createdBy: string;
  }): Promise<TokenRow> {
    try {
      const [row] = await this.sql.query<TokenDb>(
        `INSERT INTO api_tokens (id, name, role, agency_code, token_sha256, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLUMNS}`,
        [token.id, token.name, token.role, token.agencyCode, token.sha256, token.createdBy],
      );
      return tokenRow(row!);
    } catch (err) {
      throw asUsageError(err, `token "${token.id}"`);
    }
  }

  async tokens(): Promise<TokenRow[]> {
    return (await this.sql.query<TokenDb>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id`)).map(tokenRow);
  }

  /** The live (not revoked) token with this hash, marked as used now. */
  async useToken(sha256: string): Promise<TokenRow | null> {
    const [row] = await this.sql.query<TokenDb>(
      `UPDATE api_tokens SET last_used_at = now() WHERE token_sha256 = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [sha256],
    );
    return row ? tokenRow(row) : null;
  }

  /** Revokes a token for good; null when there is no such live token. */
  async revokeToken(id: string): Promise<TokenRow | null> {
    const [row] = await this.sql.query<TokenDb>(
      `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [id],
    );
    return row ? tokenRow(row) : null;
  }

  /** Stores a session; the expired ones of every user go on the way. */
  async saveSession(idSha256: string, userName: string, data: unknown, expiresAt: Date): Promise<void> {
    await this.sql.query('DELETE FROM sessions WHERE expires_at < now()');
    await this.sql.query(
      `INSERT INTO sessions (id_sha256, user_name, data, expires_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (id_sha256) DO UPDATE SET user_name = EXCLUDED.user_name, data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
      [idSha256, userName, JSON.stringify(data), expiresAt.toISOString()],
    );
  }

  /** A live session's data. */
  async session(idSha256: string): Promise<unknown | null> {
    const [row] = await this.sql.query<{ data: unknown }>('SELECT data FROM sessions WHERE id_sha256 = $1 AND expires_at >= now()', [
      idSha256,
    ]);
    return row?.data ?? null;
  }

  async endSession(idSha256: string): Promise<void> {
    await this.sql.query('DELETE FROM sessions WHERE id_sha256 = $1', [idSha256]);
  }

  async setting<T>(key: string): Promise<T | undefined> {
    const [row] = await this.sql.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
    return row?.value;
  }

  async putSetting(key: string, value: unknown, updatedBy: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [key, JSON.stringify(value), updatedBy],
    );
  }

  /** Stores `value` under `key` unless one is there already; returns the one stored (for secrets made once). */
  async settingOnce<T>(key: string, value: T, updatedBy: string): Promise<T> {
    await this.sql.query('INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO NOTHING', [
      key,
      JSON.stringify(value),
      updatedBy,
    ]);
    return (await this.setting<T>(key))!;
  }
}
