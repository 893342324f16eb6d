/** Finding Redis: an explicit URL, the local server, or an embedded redis-server on a unix socket. */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../pipeline/errors.js';
import { resolveRedis, startEmbeddedRedis } from '../workers/index.js';
import { tempDir } from './support/env.js';

describe('Redis resolution', () => {
  const dir = tempDir('redis');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses REDIS_URL when it answers and refuses a dead one by name', async () => {
    const handle = await resolveRedis('redis://127.0.0.1:6379', dir);
    expect(handle.origin).toBe('REDIS_URL');
    // It answered without a password: the start-up banner warns.
    expect(handle.unauthenticated).toBe(true);
    expect(await resolveRedis(undefined, dir)).toMatchObject({ origin: 'local', unauthenticated: true });
    await expect(resolveRedis('redis://:pw@127.0.0.1:1', dir)).rejects.toThrow(ServiceUnavailableError);
    await expect(resolveRedis('redis://:pw@127.0.0.1:1', dir)).rejects.toThrow(/redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  });

  it('knows a Redis that asks for a password from one that does not', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', 's3cret', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    try {
      let handle: Awaited<ReturnType<typeof resolveRedis>> | undefined;
      for (let i = 0; i < 50 && !handle; i++) {
        handle = await resolveRedis(`redis://:s3cret@127.0.0.1:${port}`, dir).catch(() => undefined);
        if (!handle) await new Promise((r) => setTimeout(r, 100));
      }
      expect(handle).toMatchObject({ origin: 'REDIS_URL', unauthenticated: false });
      // Without the password (or with a wrong one) it is refused, saying what it wants.
      await expect(resolveRedis(`redis://127.0.0.1:${port}`, dir)).rejects.toThrow(/wants one: redis:\/\/:<password>@host/);
      await expect(resolveRedis(`redis://:wrong@127.0.0.1:${port}`, dir)).rejects.toThrow(ServiceUnavailableError);
    } finally {
      server.kill();
    }
  });

  it('starts an embedded redis-server with its append-only file in the data directory, and reuses it', async () => {
    const first = await startEmbeddedRedis(path.join(dir, 'redis'));
    try {
      const client = new Redis(first.connection);
      await client.set('sohoa-test-key', 'giữ lại');
      expect(await client.get('sohoa-test-key')).toBe('giữ lại');
      client.disconnect();
      const second = await startEmbeddedRedis(path.join(dir, 'redis'));
      expect(second.location).toBe(first.location);
      await second.stop(); // not its server: a no-op
      expect(fs.readdirSync(path.join(dir, 'redis')).some((f) => f.startsWith('appendonly'))).toBe(true);
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(path.join(dir, 'redis', 'redis.sock'))).toBe(false);
  });
});
