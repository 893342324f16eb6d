/**
 * The processing queues for administrators, through bull-board at /admin/queues: what is waiting,
 * running and failed, with retries. Its pages would load fonts from Google; that link is dropped,
 * so the board works on an offline LAN with the system's fonts.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { QUEUE } from '../../../workers/index.js';
import type { RouteDeps } from './deps.js';

export const QUEUE_BOARD = '/admin/queues';

const REMOTE_FONTS = /<link[^>]+fonts\.googleapis\.com[^>]*>/g;

export function queueRoutes({ services }: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    const board = new FastifyAdapter();
    createBullBoard({ queues: Object.values(QUEUE).map((name) => new BullMQAdapter(services.ctx.queue(name))), serverAdapter: board });
    board.setBasePath(QUEUE_BOARD);
    app.addHook('onSend', async (_request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      return typeof payload === 'string' && type.startsWith('text/html') ? payload.replace(REMOTE_FONTS, '') : payload;
    });
    await app.register(board.registerPlugin(), { prefix: QUEUE_BOARD });
  };
}
