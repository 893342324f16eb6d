/**
 * Finding Redis: REDIS_URL when set; else a server already answering on 127.0.0.1:6379; else a
 * redis-server started here with its append-only file under the data directory.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { ServiceUnavailableError } from '../pipeline/errors.js';
import { redact } from '../storage/redact.js';

export interface RedisHandle {
  /** ioredis options: TCP for a server, the unix socket for the embedded one. */
  connection: RedisOptions;
  /** Printable location (no password). */
  location: string;
  /** Where it came from, for the start-up banner. */
  origin: 'REDIS_URL' | 'local' | 'embedded';
  /**
   * A TCP server that took commands without a password: anyone who reaches it reads and changes
   * the queues. The start-up banner says so. (The embedded server listens on a socket in the data
   * directory only.)
   */
  unauthenticated: boolean;
  stop(): Promise<void>;
}

const LOCAL_URL = 'redis://127.0.0.1:6379';

function connectionFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Whether Redis answers PING; 'password' when it answers only that it wants a password. */
async function answers(connection: RedisOptions, timeoutMs = 1500): Promise<boolean | 'password'> {
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis reports a refused password as an error event, then only that the connection closed.
  let refusal = '';
  client.on('error', (err: Error) => {
    refusal ||= err.message;
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch (err) {
    return /NOAUTH|WRONGPASS/.test(`${refusal} ${(err as Error).message}`) ? 'password' : false;
  } finally {
    client.disconnect();
  }
}

export async function resolveRedis(redisUrl: string | undefined, dataDir: string): Promise<RedisHandle> {
  if (redisUrl) {
    const connection = connectionFromUrl(redisUrl);
    const answer = await answers(connection, 5000);
    if (answer === 'password') {
      throw new ServiceUnavailableError(
        `Redis at REDIS_URL=${redact(redisUrl)} refuses its password, or wants one: redis://:<password>@host:6379`,
      );
    }
    if (!answer) throw new ServiceUnavailableError(`Redis at REDIS_URL=${redact(redisUrl)} does not answer`);
    const unauthenticated = !connection.password;
    return { connection, location: redact(redisUrl), origin: 'REDIS_URL', unauthenticated, stop: async () => {} };
  }
  const local = connectionFromUrl(LOCAL_URL);
  // A local server that wants a password is not ours to guess: the embedded one is started instead.
  if ((await answers(local)) === true)
    return { connection: local, location: LOCAL_URL, origin: 'local', unauthenticated: true, stop: async () => {} };
  return startEmbeddedRedis(path.join(dataDir, 'redis'));
}

function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function startEmbeddedRedis(dir: string): Promise<RedisHandle> {
  if (!redisServerInstalled()) {
    throw new ServiceUnavailableError(
      'no Redis answers on 127.0.0.1:6379 and redis-server is not installed. Install one ' +
        '(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; or ' +
        'docker run -d -p 6379:6379 redis:7) or set REDIS_URL=redis://host:6379',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  // A unix socket in the data directory lets every process of this installation (start, digitize,
  // worker) find the same embedded server without agreeing on a port.
  const socket = path.join(dir, 'redis.sock');
  const connection: RedisOptions = { path: socket };
  if ((await answers(connection)) === true)
    return { connection, location: socket, origin: 'embedded', unauthenticated: false, stop: async () => {} };
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      path.join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if ((await answers(connection, 500)) === true) {
      return {
        connection,
        location: socket,
        origin: 'embedded',
        unauthenticated: false,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new ServiceUnavailableError(`embedded redis-server did not start; see ${path.join(dir, 'redis.log')}`);
}
