/**
 * Services a fault test may stop and start: its own redis-server and its own PostgreSQL cluster
 * (made with the installed initdb/pg_ctl), on ports of their own, never the machine's shared ones.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { until } from './until.js';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface OwnService {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server keeping an append-only file in `dir`: stopped and started, it keeps the queues. */
export async function ownRedis(dir: string): Promise<OwnService> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const service: OwnService = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
        { stdio: 'ignore' },
      );
      await until(() => answers(port), Boolean, 10_000);
    },
    async stop() {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      // SIGTERM: Redis writes its append-only file and exits, as `systemctl stop` does.
      child?.kill('SIGTERM');
      await exited;
      child = undefined;
    },
  };
  await service.start();
  return service;
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const version = fs.existsSync(root) ? fs.readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error(`no PostgreSQL server under ${root}: apt-get install postgresql`);
  return path.join(root, version, 'bin', name);
}

/** initdb refuses to run as root: the cluster then belongs to the postgres user. */
function asOwner(command: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'runuser' : command, root ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: 'ignore' });
}

/** A PostgreSQL cluster of its own in `dir`, trust authentication, listening on 127.0.0.1 only. */
export async function ownPostgres(dir: string): Promise<OwnService> {
  const port = await freePort();
  const data = path.join(dir, 'pgdata');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asOwner(postgresBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const service: OwnService = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      asOwner(postgresBin('pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'postgres.log'), '-w', 'start']);
    },
    async stop() {
      asOwner(postgresBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
  };
  await service.start();
  return service;
}
