/** Request and response schemas of the HTTP API, declared once; types derive from them. */
import { Type, type Static } from '@fastify/type-provider-typebox';

export const DossierParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const DocumentParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64 }),
  number: Type.Integer({ minimum: 1, maximum: 999 }),
});
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
  pages: Type.Integer(),
  rejected: Type.Array(PageFailureBody),
  alreadyDigitized: Type.Boolean(),
  progressUrl: Type.String(),
});

export const ProgressBody = Type.Object({
  fileCode: Type.String(),
  state: Type.String(),
  pagesDone: Type.Optional(Type.Integer()),
  failures: Type.Optional(Type.Array(PageFailureBody)),
  pdfUrl: Type.Optional(Type.String()),
});

export const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  redis: Type.String(),
  objects: Type.String(),
  catalog: Type.String(),
});

export type SubmissionBody = Static<typeof SubmissionBody>;
export type ProgressBody = Static<typeof ProgressBody>;
