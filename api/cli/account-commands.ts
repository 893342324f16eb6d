/**
 * `sohoa user add|list|disable|enable|password` and `sohoa token issue|list|revoke`: the first
 * setup, and a way in when no admin can sign in. Each change is in the audit log under the
 * operating-system user who ran it.
 */
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { NotFoundError, UsageError } from '../../pipeline/errors.js';
import type { TokenRow, UserRow } from '../../storage/catalog/index.js';
import { addUser, hashPassword, issueToken, newPassword } from '../accounts.js';
import type { Command } from './command.js';
import { withCatalog } from './open-catalog.js';
import { cliUser } from './user.js';

const USER_USAGE = `usage: sohoa user add <name> --role station|archivist|reform|admin [--agency <code>] [--display-name <text>] [--password-stdin]
       sohoa user list
       sohoa user disable|enable <name>
       sohoa user password <name> [--password-stdin]`;
const TOKEN_USAGE = `usage: sohoa token issue <name> --role station|archivist|reform|admin [--agency <code>]
       sohoa token list
       sohoa token revoke <id>`;

const OPTIONS = {
  role: { type: 'string' },
  agency: { type: 'string' },
  'display-name': { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
} as const;

/** The password from standard input (first line), or a new one to print once. */
async function passwordFor(fromStdin: boolean): Promise<{ password: string; made: boolean }> {
  if (!fromStdin) return { password: newPassword(), made: true };
  const password = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  return { password, made: false };
}

function userLine(u: UserRow): string {
  return [u.name.padEnd(20), u.role.padEnd(10), (u.agencyCode ?? '—').padEnd(14), u.disabled ? 'disabled' : 'active', u.displayName].join(
    '  ',
  );
}

function tokenLine(t: TokenRow): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`;
  return [t.id, t.role.padEnd(10), (t.agencyCode ?? '—').padEnd(14), t.name, `(by ${t.createdBy}, ${t.createdAt}; ${state})`].join('  ');
}

export const userCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [action, name, ...rest] = positionals;
  if (rest.length) throw new UsageError(USER_USAGE);
  return withCatalog(config, async ({ catalog }) => {
    const { accounts } = catalog!;
    const by = cliUser();
    if (action === 'list' && !name) {
      for (const user of await accounts.users()) console.log(userLine(user));
      return 0;
    }
    if (!name) throw new UsageError(USER_USAGE);
    if (action === 'add') {
      if (!values.role) throw new UsageError(USER_USAGE);
      const { password, made } = await passwordFor(values['password-stdin']);
      const user = await addUser(accounts, {
        name,
        displayName: values['display-name'],
        role: values.role,
        agencyCode: values.agency,
        password,
      });
      await catalog!.recordAudit(by, 'add-user', user.name, { role: user.role, agencyCode: user.agencyCode });
      console.log(userLine(user));
      if (made) console.log(`password (shown once): ${password}`);
      return 0;
    }
    if (action === 'disable' || action === 'enable' || action === 'password') {
      const change =
        action === 'password'
          ? await passwordFor(values['password-stdin']).then(async ({ password, made }) => {
              if (made) console.log(`new password (shown once): ${password}`);
              return { passwordHash: await hashPassword(password) };
            })
          : { disabled: action === 'disable' };
      const user = await accounts.updateUser(name, change);
      if (!user) throw new NotFoundError(`user ${name} does not exist`);
      await catalog!.recordAudit(
        by,
        action === 'password' ? 'change-user' : `${action}-user`,
        name,
        action === 'password' ? { password: 'changed' } : undefined,
      );
      console.log(userLine(user));
      return 0;
    }
    throw new UsageError(USER_USAGE);
  });
};

export const tokenCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [action, subject, ...rest] = positionals;
  if (rest.length) throw new UsageError(TOKEN_USAGE);
  return withCatalog(config, async ({ catalog }) => {
    const { accounts } = catalog!;
    if (action === 'list' && !subject) {
      for (const token of await accounts.tokens()) console.log(tokenLine(token));
      return 0;
    }
    if (action === 'issue' && subject && values.role) {
      const { token, row } = await issueToken(accounts, { name: subject, role: values.role, agencyCode: values.agency }, cliUser());
      await catalog!.recordAudit(cliUser(), 'issue-token', row.id, { name: row.name, role: row.role, agencyCode: row.agencyCode });
      console.log(tokenLine(row));
      console.log(`token (shown once; send it as "Authorization: Bearer <token>"): ${token}`);
      return 0;
    }
    if (action === 'revoke' && subject) {
      const revoked = await accounts.revokeToken(subject);
      if (!revoked) throw new NotFoundError(`no live token ${subject}`);
      await catalog!.recordAudit(cliUser(), 'revoke-token', revoked.id, { name: revoked.name });
      console.log(tokenLine(revoked));
      return 0;
    }
    throw new UsageError(TOKEN_USAGE);
  });
};
