/** What every route plugin is given by buildApp: the process's services, its catalog and the audit log. */
import type { FastifyRequest } from 'fastify';
import type { Catalog } from '../../../storage/catalog/index.js';
import type { Services } from '../../services.js';

export interface RouteDeps {
  services: Services;
  /** The API process always holds the catalog: accounts, search, coverage and the audit log live there. */
  catalog: Catalog;
  /** Records who did what in the catalog's audit log; never in the process log. */
  audit: (request: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => Promise<void>;
}
