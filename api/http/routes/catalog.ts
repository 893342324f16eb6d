/**
 * Routes of the register, coverage and search, registered by buildApp as one plugin.
 * The register route reads its body raw — CSV or JSON text — so row errors can name the lines.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { InputFileError, UsageError } from '../../../pipeline/errors.js';
import { coverageReport, importRegister, searchPages, undigitizedDossiers } from '../../../storage/catalog/index.js';
import { coverageThresholds } from '../../settings.js';
import { coverageCsv, coverageXlsx, xlsxToCsv } from '../../spreadsheets.js';
import {
  CoverageBody,
  CoverageExportQuery,
  CoverageQuery,
  ErrorBody,
  RegisterBody,
  RegisterQuery,
  RegisterRejectedBody,
  SearchBody,
  SearchQuery,
  UndigitizedBody,
  UndigitizedQuery,
} from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** Largest register accepted in one request: room for a whole city's year of dossiers. */
const REGISTER_BODY_LIMIT = 256 << 20;

function formatOf(contentType: string | undefined): 'csv' | 'json' | 'xlsx' | undefined {
  if (!contentType) return undefined;
  if (/spreadsheetml|excel/i.test(contentType)) return 'xlsx';
  if (/json/i.test(contentType)) return 'json';
  if (/csv|text\/plain/i.test(contentType)) return 'csv';
  return undefined;
}

export function catalogRoutes({ services, catalog, audit }: RouteDeps): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    // Bodies of this plugin arrive as bytes (the register); other plugins keep their parsers.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: REGISTER_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.post(
      '/api/register',
      {
        schema: { querystring: RegisterQuery, response: { 200: RegisterBody, 422: RegisterRejectedBody, '4xx': ErrorBody } },
        config: { roles: ['admin'] },
        bodyLimit: REGISTER_BODY_LIMIT,
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
          throw new UsageError('send the register as the request body (CSV, JSON or XLSX)');
        }
        const source = request.query.source ?? `api:${request.principal!.user}`;
        const format = request.query.format ?? formatOf(request.headers['content-type']);
        const result = await importRegister(catalog, services.ctx.store, {
          source,
          // A spreadsheet's first sheet, row for row as CSV lines, so errors name its rows.
          bytes: format === 'xlsx' ? await xlsxToCsv(source, request.body) : request.body,
          format: format === 'xlsx' ? 'csv' : format,
          importedBy: request.principal!.user,
          table: request.query.table,
        });
        if (result.rows === 0) {
          const rejected = new InputFileError(source, `no valid row: ${result.errors.length} rejected`);
          return reply.status(rejected.httpStatus).send({ error: rejected.code, message: rejected.reason, errors: result.errors });
        }
        return result;
      },
    );

    app.get(
      '/api/coverage',
      { schema: { querystring: CoverageQuery, response: { 200: CoverageBody } }, config: { roles: ['reform'] } },
      async (request) => {
        await audit(request, 'read-coverage', '*', request.query);
        return coverageReport(catalog.sql, request.query, await coverageThresholds(catalog, services.config));
      },
    );

    app.get(
      '/api/coverage/export',
      { schema: { querystring: CoverageExportQuery }, config: { roles: ['reform'] } },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const report = await coverageReport(catalog.sql, query, await coverageThresholds(catalog, services.config));
        await audit(request, 'export-coverage', '*', { ...query, format, lang });
        const name = `ty-le-so-hoa-${query.by}${query.from ? `-${query.from}` : ''}${query.to ? `-${query.to}` : ''}.${format}`;
        const body = format === 'csv' ? coverageCsv(report, lang) : await coverageXlsx(report);
        const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        return reply.type(type).header('content-disposition', `attachment; filename="${name}"`).send(body);
      },
    );

    app.get(
      '/api/coverage/undigitized',
      { schema: { querystring: UndigitizedQuery, response: { 200: UndigitizedBody } }, config: { roles: ['reform'] } },
      async (request) => {
        const { limit, offset, ...filters } = request.query;
        const list = await undigitizedDossiers(catalog.sql, filters, { limit, offset });
        await audit(request, 'list-undigitized', '*', { ...filters, limit, offset });
        return list;
      },
    );

    app.get(
      '/api/search',
      { schema: { querystring: SearchQuery, response: { 200: SearchBody } }, config: { roles: ['archivist'] } },
      async (request) => {
        const { q, ...options } = request.query;
        const result = await searchPages(catalog.sql, { query: q, ...options });
        const { limit: _limit, offset: _offset, ...filters } = options;
        // The audit log is where a query (possibly a citizen's name) may be kept; logs never see it.
        await audit(request, 'search', q, { ...filters, total: result.total });
        return result;
      },
    );
  };
}
