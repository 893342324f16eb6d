/** Request and response schemas of the HTTP API, declared once; types derive from them. */
import { type Static, Type } from '@fastify/type-provider-typebox';
import { READ_FIELDS } from '../../pipeline/metadata/index.js';
import { DOSSIER_CODE_PATTERN } from '../../storage/objects/index.js';
import { MIN_PASSWORD_LENGTH } from '../password-rule.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Level = Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]);
const DocumentKind = Type.Union([Type.Literal('component'), Type.Literal('result')]);

/** A dossier code in a path: checked before the route runs, so `..%2F..` never reaches the store. */
const DossierCodeParam = Type.String({ pattern: DOSSIER_CODE_PATTERN, description: '<agency code>-<YYMMDD>-<NNNN>' });

export const DossierParams = Type.Object({ code: DossierCodeParam });
export const DocumentParams = Type.Object({
  code: DossierCodeParam,
  number: Type.Integer({ minimum: 1, maximum: 999 }),
});
export const PageParams = Type.Object({
  code: DossierCodeParam,
  number: Type.Integer({ minimum: 1, maximum: 999 }),
  page: Type.Integer({ minimum: 1, maximum: 9999 }),
});
export const ReadFieldParams = Type.Object({
  code: DossierCodeParam,
  number: Type.Integer({ minimum: 1, maximum: 999 }),
  name: Type.Union(READ_FIELDS.map((n) => Type.Literal(n))),
});
export const CropQuery = Type.Object({ width: Type.Integer({ minimum: 64, maximum: 1200, default: 640 }) });
export const ReadFieldsBody = Type.Object({
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      value: Type.Union([Type.String(), Type.Array(Type.String())]),
      confidence: Type.Number(),
      page: Type.Integer(),
      status: Type.Union([Type.Literal('filled'), Type.Literal('to-confirm'), Type.Literal('given'), Type.Literal('read')]),
      given: Type.Optional(Type.Unknown()),
      cropUrl: Type.String(),
    }),
  ),
});
export type ReadFieldsBody = Static<typeof ReadFieldsBody>;
export const ThumbnailQuery = Type.Object({ width: Type.Integer({ minimum: 64, maximum: 800, default: 240 }) });
export const RecentQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) });
export const Paging = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });

export const PageFailureBody = Type.Object({ file: Type.String(), page: Type.Integer(), reason: Type.String() });

export const SubmissionBody = Type.Object({
  dossierCode: Type.String(),
  documentNumber: Type.Integer(),
  fileCode: Type.String(),
  kind: DocumentKind,
  pages: Type.Integer(),
  rejected: Type.Array(PageFailureBody),
  alreadyDigitized: Type.Boolean(),
  progressUrl: Type.String(),
});

/** A stack split by its cover sheets: the documents made, and where each sheet was. */
export const BatchBody = Type.Object({
  batchId: Type.String(),
  alreadySubmitted: Type.Boolean(),
  documents: Type.Array(SubmissionBody),
  sheets: Type.Array(
    Type.Object({
      file: Type.String(),
      page: Type.Integer({ description: 'page within its file, from 1' }),
      dossierCode: Type.String(),
      kind: DocumentKind,
      procedureCode: Type.Optional(Type.String()),
      empty: Type.Boolean({ description: 'no page followed the sheet: it made no document' }),
    }),
  ),
});

export const CoverSheetQuery = Type.Object({
  kind: Type.Optional(DocumentKind),
  procedure: Type.Optional(Type.String({ maxLength: 16 })),
});

/** Circular 05/2025 fields to change (null takes one away), checked as at upload. */
export const MetadataFields = Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 60 });

export const MetadataBody = Type.Object({
  values: Type.Record(Type.String(), Type.Unknown()),
  derived: Type.Array(Type.String()),
  extracted: Type.Optional(Type.Array(Type.String())),
  changes: Type.Optional(
    Type.Array(Type.Object({ by: Type.String(), at: Type.String(), fields: Type.Record(Type.String(), Type.Unknown()) })),
  ),
});

/** The package an admin exports: E-ARK CSIP/SIP, as a ZIP. */
export const ExportQuery = Type.Object({ format: Type.Literal('eark', { default: 'eark' }) });

export const WithdrawRequest = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });
export const WithdrawalBody = Type.Object({ fileCode: Type.String(), by: Type.String(), at: Type.String(), reason: Type.String() });

export const ProgressBody = Type.Object({
  fileCode: Type.String(),
  state: Type.String(),
  pagesDone: Type.Optional(Type.Integer()),
  failures: Type.Optional(Type.Array(PageFailureBody)),
  pdfUrl: Type.Optional(Type.String()),
});

const PageState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('cleanup'),
  Type.Literal('ocr'),
  Type.Literal('read'),
  Type.Literal('packaged'),
  Type.Literal('failed'),
]);

/** One server-sent event of /events: where each page of the document stands. */
export const DocumentEventBody = Type.Object({
  fileCode: Type.String(),
  state: Type.Union([Type.Literal('processing'), Type.Literal('completed'), Type.Literal('failed')]),
  pages: Type.Array(
    Type.Object({
      page: Type.Integer(),
      file: Type.String(),
      filePage: Type.Integer({ description: 'page within its file, from 1' }),
      state: PageState,
      reason: Type.Optional(Type.String()),
      /** Almost no ink: a separator sheet or an empty back, kept with the originals, left out of the PDF/A. */
      blank: Type.Optional(Type.Boolean()),
      /** Effective resolution: the file's tag, or measured from the text when the tag is missing or implausible. */
      dpi: Type.Optional(Type.Integer()),
      /** Under the 200 dpi the regulation asks: the station should rescan the page. */
      lowResolution: Type.Optional(Type.Boolean()),
    }),
  ),
});

const DossierFields = {
  code: Type.String(),
  agencyCode: Type.String(),
  procedureCode: Nullable(Type.String()),
  receivedOn: Day,
  manifestSha256: Type.String(),
  indexedAt: Type.String(),
  updatedAt: Type.String(),
};

const DocumentFields = {
  number: Type.Integer(),
  fileCode: Type.String(),
  kind: DocumentKind,
  pdfKey: Nullable(Type.String()),
  pageCount: Type.Integer(),
  pagesFailed: Type.Integer(),
  submittedBy: Type.String(),
  completedAt: Type.String(),
};

export const DossierListBody = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({ ...DossierFields, documentCount: Type.Integer(), pageCount: Type.Integer(), pagesFailed: Type.Integer() }),
  ),
});

export const DossierDetailBody = Type.Object({
  ...DossierFields,
  documents: Type.Array(
    Type.Object({
      ...DocumentFields,
      pages: Type.Array(
        Type.Object({
          number: Type.Integer(),
          status: Type.Union([Type.Literal('done'), Type.Literal('failed'), Type.Literal('blank')], {
            description: 'blank: kept with the originals, not in the PDF/A',
          }),
          error: Nullable(Type.String()),
          confidence: Nullable(Type.Number()),
          lowConfidence: Type.Boolean(),
          dpi: Nullable(Type.Number()),
        }),
      ),
    }),
  ),
});

export const RecentUploadsBody = Type.Array(Type.Object({ dossierCode: Type.String(), ...DocumentFields }));

export const HealthBody = Type.Object({ status: Type.Literal('ok') });

const CheckState = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
export const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  redis: CheckState,
  objects: CheckState,
  catalog: CheckState,
});

// ---------------------------------------------------------------------------------------------
// Register, coverage and search (routes/catalog.ts)

export const RegisterQuery = Type.Object({
  /** Name kept with the import (the file name); the caller's name by default. */
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('xlsx')])),
  /** What the file holds: the register's dossiers (default), unit successions or procedure versions. */
  table: Type.Union([Type.Literal('dossiers'), Type.Literal('units'), Type.Literal('procedures')], { default: 'dossiers' }),
});

const RowErrorBody = Type.Object({ line: Type.Integer(), reason: Type.String() });

export const RegisterBody = Type.Object({
  table: Type.String(),
  key: Nullable(Type.String()),
  source: Type.String(),
  rows: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  errors: Type.Array(RowErrorBody),
});

/** 422: no valid row (`errors` lists them), or a file that cannot be read at all (no `errors`). */
export const RegisterRejectedBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  errors: Type.Optional(Type.Array(RowErrorBody)),
});

const CoverageFilterFields = {
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  procedure: Type.Optional(Type.String({ maxLength: 32 })),
  agency: Type.Optional(Type.String({ maxLength: 32 })),
  level: Type.Optional(Level),
  /** Former units (districts, communes merged in 2025) count as their successors. */
  rollUp: Type.Boolean({ default: false }),
};

const CoverageQueryFields = {
  by: Type.Union([Type.Literal('procedure'), Type.Literal('agency'), Type.Literal('level')], { default: 'procedure' }),
  period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')])),
  ...CoverageFilterFields,
};
export const CoverageQuery = Type.Object(CoverageQueryFields);
export const CoverageExportQuery = Type.Object({
  ...CoverageQueryFields,
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  /** Headers and numbers (55,69 or 55.69) of the CSV. */
  lang: Type.Union([Type.Literal('vi'), Type.Literal('en')], { default: 'vi' }),
});

const CoverageCountsFields = {
  received: Type.Integer(),
  componentDigitized: Type.Integer(),
  overallDigitized: Type.Integer(),
  overallApproximate: Type.Integer(),
  resolved: Type.Integer(),
  resultDigitized: Type.Integer(),
  resolvedWithDue: Type.Integer(),
  onTime: Type.Integer(),
};

const Rate = Nullable(Type.Number());

const CoverageRowBody = Type.Object({
  key: Nullable(Type.String()),
  name: Nullable(Type.String()),
  period: Nullable(Type.String()),
  ...CoverageCountsFields,
  rates: Type.Object({ component: Rate, result: Rate, overall: Rate, combined: Rate, onTime: Rate }),
  overallExact: Type.Boolean(),
  status: Type.Union([Type.Literal('no-data'), Type.Literal('needs-action'), Type.Literal('below-target'), Type.Literal('meets-target')]),
});

const UnregisteredRowBody = Type.Object({
  key: Nullable(Type.String()),
  name: Nullable(Type.String()),
  period: Nullable(Type.String()),
  dossiers: Type.Integer(),
  componentDigitized: Type.Integer(),
  resultDigitized: Type.Integer(),
});

export const CoverageBody = Type.Object({
  by: Type.String(),
  period: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  rollUp: Type.Boolean(),
  thresholds: Type.Object({ warn: Type.Number(), target: Type.Number() }),
  rows: Type.Array(CoverageRowBody),
  total: CoverageRowBody,
  unregistered: Type.Object({ total: UnregisteredRowBody, rows: Type.Array(UnregisteredRowBody) }),
});

export const UndigitizedQuery = Type.Object({
  ...CoverageFilterFields,
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const UndigitizedBody = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      procedureCode: Type.String(),
      agencyCode: Type.String(),
      agencies: Type.Array(Type.String()),
      level: Level,
      receivedAt: Type.String(),
      resolvedAt: Nullable(Type.String()),
      dueAt: Nullable(Type.String()),
      receivedOn: Type.String(),
      resolvedOn: Nullable(Type.String()),
      componentDigitized: Type.Boolean(),
      resultDigitized: Type.Boolean(),
      missingComponents: Nullable(Type.Array(Type.String())),
      reasons: Type.Array(Type.Union([Type.Literal('not-digitized-overall'), Type.Literal('result-missing')])),
    }),
  ),
});

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 500 }),
  mode: Type.Union([Type.Literal('all'), Type.Literal('any')], { default: 'all' }),
  procedure: Type.Optional(Type.String({ maxLength: 32 })),
  agency: Type.Optional(Type.String({ maxLength: 32 })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  dossier: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  kind: Type.Optional(Type.Union([Type.Literal('component'), Type.Literal('result')])),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  organName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  codeNotation: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  issuedFrom: Type.Optional(Day),
  issuedTo: Type.Optional(Day),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: 999, default: 0 }),
});

export const SearchBody = Type.Object({
  query: Type.String(),
  mode: Type.String(),
  total: Type.Integer(),
  totalIsLowerBound: Type.Boolean(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  hits: Type.Array(
    Type.Object({
      dossierCode: Type.String(),
      documentNumber: Type.Integer(),
      fileCode: Type.String(),
      kind: DocumentKind,
      pageNumber: Type.Integer(),
      pdfPage: Type.Integer(),
      match: Type.Union([Type.Literal('exact'), Type.Literal('folded'), Type.Literal('fuzzy')]),
      snippet: Type.String(),
      link: Type.String(),
      agencyCode: Type.String(),
      procedureCode: Nullable(Type.String()),
      receivedOn: Type.String(),
    }),
  ),
  fuzzy: Type.Record(Type.String(), Type.Array(Type.String())),
});

// ---------------------------------------------------------------------------------------------
// Accounts, sessions and settings (routes/session.ts, routes/admin.ts)

const RoleName = Type.Union([Type.Literal('station'), Type.Literal('archivist'), Type.Literal('reform'), Type.Literal('admin')]);
const AgencyCode = Type.String({ pattern: '^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$', description: 'e.g. 000.00.15.H17' });

export const SignInBody = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});

export const SessionBody = Type.Object({
  user: Type.String(),
  displayName: Type.String(),
  role: RoleName,
  agencyCode: Nullable(Type.String()),
  /** Send back as the `csrf-token` header on every request that changes something. */
  csrfToken: Type.String(),
});

export const UserBody = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  role: RoleName,
  agencyCode: Nullable(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

export const UsersBody = Type.Array(UserBody);

export const NewUserBody = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 64 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  role: RoleName,
  agencyCode: Type.Optional(Nullable(AgencyCode)),
  /** Left out: a password is made and shown once in the answer. */
  password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 })),
});

export const UserCreatedBody = Type.Object({ user: UserBody, password: Type.Optional(Type.String()) });

/** A made password, in this answer only. */
export const NewPasswordBody = Type.Object({ password: Type.String() });

export const UserParams = Type.Object({ name: Type.String({ minLength: 2, maxLength: 64 }) });

export const UserChangeBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleName),
  agencyCode: Type.Optional(Nullable(AgencyCode)),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 })),
});

/** A person changing their own password: the current one proves it is them. */
export const PasswordChangeBody = Type.Object({
  current: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }),
});

export const TokenBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleName,
  agencyCode: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

export const TokensBody = Type.Array(TokenBody);

export const NewTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleName,
  agencyCode: Type.Optional(Nullable(AgencyCode)),
});

/** The token itself is in this answer only: Sohoa keeps its SHA-256. */
export const TokenIssuedBody = Type.Object({ token: Type.String(), row: TokenBody });

export const TokenParams = Type.Object({ id: Type.String({ minLength: 8, maxLength: 8 }) });

export const ThresholdsBody = Type.Object({
  warn: Type.Number({ minimum: 0, maximum: 100 }),
  target: Type.Number({ minimum: 0, maximum: 100 }),
});

/** Agencies whose stations may ask for the agency's signature (`sign=true`). */
export const SigningBody = Type.Object({
  agencies: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 1000 }),
});

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  actor: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});

export const AuditBody = Type.Array(
  Type.Object({
    id: Type.Integer(),
    at: Type.String(),
    actor: Type.String(),
    action: Type.String(),
    target: Type.String(),
    detail: Type.Unknown(),
  }),
);

// ---------------------------------------------------------------------------------------------
// The bodies' types, for the handlers and for the web app (api/web/app imports these types only).

export type SubmissionBody = Static<typeof SubmissionBody>;
export type BatchBody = Static<typeof BatchBody>;
export type WithdrawalBody = Static<typeof WithdrawalBody>;
export type ProgressBody = Static<typeof ProgressBody>;
export type DocumentEventBody = Static<typeof DocumentEventBody>;
export type DossierDetailBody = Static<typeof DossierDetailBody>;
export type RecentUploadsBody = Static<typeof RecentUploadsBody>;
export type RegisterBody = Static<typeof RegisterBody>;
export type CoverageBody = Static<typeof CoverageBody>;
export type UndigitizedBody = Static<typeof UndigitizedBody>;
export type SearchBody = Static<typeof SearchBody>;
export type SessionBody = Static<typeof SessionBody>;
export type UserBody = Static<typeof UserBody>;
export type UserCreatedBody = Static<typeof UserCreatedBody>;
export type NewPasswordBody = Static<typeof NewPasswordBody>;
export type TokenBody = Static<typeof TokenBody>;
export type TokenIssuedBody = Static<typeof TokenIssuedBody>;
export type ThresholdsBody = Static<typeof ThresholdsBody>;
export type SigningBody = Static<typeof SigningBody>;
export type AuditBody = Static<typeof AuditBody>;
