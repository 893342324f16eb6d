// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are compose interpolations, the subject of these checks
/**
 * The production compose files: no default passwords (compose refuses to start without them);
 * nothing published to every network but the API; Redis and MinIO reachable by worker machines
 * only on the address the administrator names; a worker machine's file that reaches them there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from './support/env.js';

interface Service {
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}

function composeFile(name: string): { text: string; services: Record<string, Service> } {
  const text = fs.readFileSync(path.join(REPO, name), 'utf8');
  return { text, services: parse(text, { merge: true }).services };
}

const main = composeFile('docker-compose.yml');
const workerHost = composeFile('docker-compose.worker-host.yml');

describe('docker-compose.yml and docker-compose.worker-host.yml', () => {
  it('have no default for any password or user: every secret must be set', () => {
    for (const { text } of [main, workerHost]) {
      const secrets = [...text.matchAll(/\$\{((?:POSTGRES|MINIO|REDIS)_[A-Z_]+)([^}]*)\}/g)];
      expect(secrets.length).toBeGreaterThanOrEqual(3);
      for (const [whole, , rest] of secrets) expect(rest, whole).toMatch(/^:\?/);
      expect(text).not.toMatch(/change-me/);
    }
  });

  it('publish the API to every network, Redis and MinIO only on SOHOA_WORKER_LAN (loopback by default)', () => {
    const { services } = main;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['redis', 'minio', 'postgres', 'api', 'worker']));
    const published = Object.fromEntries(Object.entries(services).flatMap(([name, s]) => (s.ports ? [[name, s.ports]] : [])));
    expect(published).toEqual({
      api: ['8080:8080'],
      redis: ['${SOHOA_WORKER_LAN:-127.0.0.1}:6379:6379'],
      minio: ['${SOHOA_WORKER_LAN:-127.0.0.1}:9000:9000'],
    });
    expect(services.redis!.command).toContain('--requirepass');
    expect(services.worker!.environment!.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?/);
  });

  it("give a worker machine the main host's worker, pointed at SOHOA_MAIN_HOST's Redis and MinIO", () => {
    expect(Object.keys(workerHost.services)).toEqual(['worker']);
    const remote = workerHost.services.worker!;
    const local = main.services.worker!;
    expect(remote.command).toEqual(local.command);
    expect(remote.ports).toBeUndefined();
    const env = remote.environment!;
    expect(Object.keys(env).sort()).toEqual(
      Object.keys(local.environment!)
        .filter((k) => k !== 'DATABASE_URL')
        .sort(),
    );
    expect(env.REDIS_URL).toBe('redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@${SOHOA_MAIN_HOST:?set SOHOA_MAIN_HOST}:6379');
    expect(env.MINIO_ENDPOINT).toBe('http://${SOHOA_MAIN_HOST:?set SOHOA_MAIN_HOST}:9000');
    for (const same of ['MINIO_BUCKET', 'SOHOA_DATA_DIR']) expect(env[same], same).toBe(local.environment![same]);
  });
});
