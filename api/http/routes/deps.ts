/** What every route plugin is given by buildApp: the process's services, the role guard and the audit log. */
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import type { Role } from '../auth.js';

export interface RouteDeps {
  services: Services;
  /** A preHandler that authenticates the caller and lets only these roles (and admin) through. */
  guard: (...roles: Role[]) => (request: FastifyRequest) => Promise<void>;
  /** Records who did what in the catalog's audit log; never in the process log. */
  audit: (request: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => Promise<void>;
}
