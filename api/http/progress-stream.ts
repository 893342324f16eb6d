/**
 * A document's progress as server-sent events: each change of its pages' states, until it is
 * packaged or failed. The stream pings so proxies keep it open, checks every few seconds that its
 * caller may still watch (signed out, disabled), ends at a time limit (the browser reconnects), at
 * the server's shutdown, and on any error with an `unavailable` event. Each caller has a few streams at most.
 */
import type { FastifyReply } from 'fastify';
import type { DocumentEventBody } from './schemas.js';

const POLL_MS = 500;
/** A comment line every so often: proxies close a response that says nothing for a minute. */
const PING_MS = 15_000;
/** How often the caller is checked again, in polls. */
const RECHECK_POLLS = 10;
/** How long one stream may stay open; the browser reconnects after it. */
const STREAM_LIMIT_MS = 10 * 60_000;
/** Streams one caller may have open at once (a station watching its uploads). */
export const STREAMS_PER_CALLER = 8;
/** What the browser waits before reconnecting. */
const RETRY_MS = 2000;

export interface ProgressSource {
  poll(): Promise<DocumentEventBody | undefined>;
  /** False once the caller may no longer watch. */
  stillAllowed(): Promise<boolean>;
}

/** The streams open in this process, so the server's shutdown can end them. */
export class ProgressStreams {
  private readonly open = new Map<string, Set<() => void>>();

  count(caller: string): number {
    return this.open.get(caller)?.size ?? 0;
  }

  endAll(): void {
    for (const ends of this.open.values()) for (const end of ends) end();
  }

  stream(reply: FastifyReply, caller: string, first: DocumentEventBody, source: ProgressSource): void {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    out.write(`retry: ${RETRY_MS}\n\n`);
    let closed = false;
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      this.open.get(caller)?.delete(end);
      out.end();
    };
    const ping = setInterval(() => out.write(': ping\n\n'), PING_MS);
    out.on('close', end);
    if (!this.open.has(caller)) this.open.set(caller, new Set());
    this.open.get(caller)!.add(end);
    let last = '';
    const send = (event: string, data: unknown) => {
      const json = JSON.stringify(data);
      if (event === 'progress' && json === last) return;
      if (event === 'progress') last = json;
      out.write(`event: ${event}\ndata: ${json}\n\n`);
    };
    const started = Date.now();
    void (async () => {
      let progress: DocumentEventBody | undefined = first;
      try {
        for (let polls = 1; !closed && progress; polls++) {
          send('progress', progress);
          if (progress.state !== 'processing' || Date.now() - started > STREAM_LIMIT_MS) break;
          await new Promise((r) => setTimeout(r, POLL_MS));
          if (polls % RECHECK_POLLS === 0 && !(await source.stillAllowed())) break;
          progress = await source.poll();
        }
      } catch {
        // The client is told and reconnects; the cause (Redis, the store) shows in /readyz and the logs of those.
        if (!closed) send('unavailable', { error: 'PROGRESS_UNAVAILABLE', message: 'progress is unavailable for a moment' });
      } finally {
        end();
      }
    })();
  }
}
