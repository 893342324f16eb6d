import os from 'node:os';

/** Who a command-line action is recorded as, in the audit log and the register imports. */
export function cliUser(): string {
  return `cli:${os.userInfo().username}`;
}
