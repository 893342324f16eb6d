/**
 * The web app, served by the API itself: its TypeScript (app/) is bundled by esbuild in this
 * process the first time it is asked for, and every asset — the app, pdf.js's worker, the styles —
 * comes from the package, never a CDN (government LANs are often offline).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

const require = createRequire(import.meta.url);
const APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));

/** The app's pages: each address answers the same page, and the app shows what it names. */
const PAGES = ['/', '/login', '/account', '/station', '/search', '/reform', '/admin', '/dossiers/:code', '/viewer/:code/:number'];

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function asset(body: Buffer | string, type: string): Asset {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: bytes, type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` };
}

export interface WebBundle {
  /** Served files by name: app.js, app.css, pdf.worker.mjs, icon.svg. */
  files: Map<string, Asset>;
  /** Every source file in the bundle (repository-relative, or under node_modules). */
  inputs: string[];
}

let built: Promise<WebBundle> | undefined;

/** The bundle, built once per process, the first time it is asked for, and kept in memory. */
export function webBundle(): Promise<WebBundle> {
  built ??= (async () => {
    const result = await esbuild.build({
      entryPoints: { app: `${APP_DIR}main.tsx` },
      bundle: true,
      write: false,
      outdir: '/assets',
      format: 'esm',
      target: ['chrome100', 'firefox100', 'safari15'],
      minify: true,
      legalComments: 'linked',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      tsconfig: `${APP_DIR}tsconfig.json`,
      logLevel: 'silent',
      metafile: true,
    });
    const files = new Map<string, Asset>();
    for (const file of result.outputFiles) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      files.set(
        name,
        asset(
          Buffer.from(file.contents),
          name.endsWith('.css')
            ? 'text/css; charset=utf-8'
            : name.endsWith('.js')
              ? 'text/javascript; charset=utf-8'
              : 'text/plain; charset=utf-8',
        ),
      );
    }
    const worker = await fs.readFile(require.resolve('pdfjs-dist/build/pdf.worker.min.mjs'));
    files.set('pdf.worker.mjs', asset(worker, 'text/javascript; charset=utf-8'));
    files.set('icon.svg', asset(await fs.readFile(`${APP_DIR}icon.svg`), 'image/svg+xml'));
    return { files, inputs: Object.keys(result.metafile.inputs) };
  })();
  built.catch(() => {
    built = undefined;
  });
  return built;
}

const SHELL = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sohoa · Số hóa hồ sơ</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"></div>
<noscript>Sohoa cần JavaScript. · Sohoa needs JavaScript.</noscript>
</body>
</html>
`;

/** Only this origin's scripts, styles, images and workers; no frames, no plugins. */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');
}

export function webRoutes(): FastifyPluginAsync {
  return async (app) => {
    for (const url of PAGES) {
      app.get(url, { config: { public: true } }, async (_request, reply) =>
        secure(reply).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(SHELL),
      );
    }
    app.get<{ Params: { name: string } }>('/assets/:name', { config: { public: true } }, async (request, reply) => {
      const file = (await webBundle()).files.get(request.params.name);
      if (!file) return reply.status(404).send({ error: 'NOT_FOUND', message: `no asset ${request.params.name}` });
      if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
      return secure(reply).type(file.type).header('etag', file.etag).header('cache-control', 'no-cache').send(file.body);
    });
  };
}
