/** Finding Redis: an explicit URL, the local server, or an embedded redis-server on a unix socket. */

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
    await expect(resolveRedis('redis://:pw@127.0.0.1:1', dir)).rejects.toThrow(ServiceUnavailableError);
    await expect(resolveRedis('redis://:pw@127.0.0.1:1', dir)).rejects.toThrow(/redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
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
