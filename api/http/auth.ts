/**
 * API tokens and roles. Each caller is a named user with one role; the token file keeps only
 * SHA-256 hashes of tokens, so reading it does not let anyone in.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AccessDeniedError, UsageError } from '../../pipeline/errors.js';
import { sha256 } from '../../storage/objects/index.js';

const ROLES = ['admin', 'scanner', 'archivist', 'reform'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  user: string;
  role: Role;
}

interface TokenEntry extends Principal {
  tokenSha256: string;
  createdAt: string;
}

export class TokenRegistry {
  private constructor(
    readonly file: string,
    private entries: TokenEntry[],
  ) {}

  static load(file: string): TokenRegistry {
    const entries = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TokenEntry[]) : [];
    return new TokenRegistry(file, entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Issues a new token for a user; the token itself is shown once and never stored. */
  issue(user: string, role: Role): string {
    if (!ROLES.includes(role)) throw new UsageError(`role must be one of ${ROLES.join(', ')}`);
    if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(user)) throw new UsageError(`user name "${user}" may hold letters, digits and . _ @ -`);
    const token = `sohoa_${randomBytes(24).toString('base64url')}`;
    this.entries.push({ user, role, tokenSha256: sha256(token), createdAt: new Date().toISOString() });
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.entries, null, 1), { mode: 0o600 });
    fs.renameSync(temp, this.file);
    return token;
  }

  authenticate(authorization: string | undefined): Principal {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AccessDeniedError('missing bearer token', 401);
    const hash = sha256(token);
    const entry = this.entries.find((e) => e.tokenSha256 === hash);
    if (!entry) throw new AccessDeniedError('unknown token', 401);
    return { user: entry.user, role: entry.role };
  }
}

export function authorize(principal: Principal, allowed: readonly Role[]): void {
  if (principal.role !== 'admin' && !allowed.includes(principal.role)) {
    throw new AccessDeniedError(`role ${principal.role} may not do this (needs ${allowed.join(' or ')})`);
  }
}
