/**
 * The production compose file: no default passwords (compose refuses to start without them) and
 * nothing published but the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/env.js';

const compose = fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8');

/** The services block of each service, by name (two-space indented keys under `services:`). */
function services(text: string): Map<string, string> {
  const body = text.slice(text.indexOf('\nservices:\n'), text.indexOf('\nvolumes:\n'));
  const blocks = new Map<string, string>();
  for (const m of body.matchAll(/^ {2}([a-z-]+):\n((?: {4}.*\n|\s*#.*\n|\n)*)/gm)) blocks.set(m[1]!, m[2]!);
  return blocks;
}

describe('docker-compose.yml', () => {
  it('has no default for any password or user: every secret must be set', () => {
    const secrets = [...compose.matchAll(/\$\{((?:POSTGRES|MINIO|REDIS)_[A-Z_]+)([^}]*)\}/g)];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    for (const [whole, , rest] of secrets) expect(rest, whole).toMatch(/^:\?/);
    expect(compose).not.toMatch(/change-me/);
  });

  it('publishes the API only, and Redis asks for its password', () => {
    const blocks = services(compose);
    expect([...blocks.keys()]).toEqual(expect.arrayContaining(['redis', 'minio', 'postgres', 'api', 'worker']));
    const published = [...blocks].filter(([, block]) => /^ {4}ports:/m.test(block)).map(([name]) => name);
    expect(published).toEqual(['api']);
    expect(blocks.get('redis')).toMatch(/--requirepass/);
    expect(compose).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD:\?/);
  });
});
