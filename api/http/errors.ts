/**
 * The API's error handler: a SohoaError answers with its own HTTP status and code (pipeline/errors.ts);
 * Fastify's own errors (validation, body limits) keep theirs; anything else is a 500 whose details
 * stay in the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SohoaError } from '../../pipeline/errors.js';
import { parseDossierCode } from '../../storage/objects/index.js';
import type { Logger } from '../../workers/index.js';

export function errorHandler(log: Logger) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    // A dossier code in the path that fails its pattern answers as a bad code anywhere else does.
    const code = (request.params as { code?: unknown } | undefined)?.code;
    if ((err as FastifyError).validationContext === 'params' && typeof code === 'string' && invalidCode(code)) err = invalidCode(code)!;
    if (err instanceof SohoaError) {
      // A server-side failure (a corrupt object, an unreachable service) is logged by its code; a client's mistake is not.
      if (err.httpStatus >= 500) log.error({ code: err.code, err: err.message }, 'request failed');
      return reply.status(err.httpStatus).send({ error: err.code, message: err.message });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) log.error({ err: err.message }, 'request failed');
    return reply
      .status(status)
      .send({ error: (err as FastifyError).code ?? 'INTERNAL', message: status >= 500 ? 'internal error' : err.message });
  };
}

function invalidCode(code: string): SohoaError | undefined {
  try {
    parseDossierCode(code);
    return undefined;
  } catch (err) {
    if (err instanceof SohoaError) return err;
    throw err;
  }
}
