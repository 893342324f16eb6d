/**
 * The scanning station: print a dossier's cover sheet (QR), then upload either one document of one
 * dossier or a whole stack the cover sheets split into documents; watch every page go through
 * cleanup, OCR and packaging live (server-sent events) — blank pages and pages under 200 dpi
 * flagged — retry the pages that failed, check the thumbnails, open the PDF/A, and confirm what was
 * read from the page where Sohoa was unsure.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchBody, DocumentEventBody, RecentUploadsBody, SubmissionBody } from '../../../http/schemas.js';
import { ApiError, api, type Me, newIdempotencyKey, query, upload } from '../api.js';
import { type I18n, type MessageKey, useI18n } from '../i18n.js';
import { EMPTY_METADATA, type MetadataDraft, MetadataFields, metadataJson } from '../metadata-form.js';
import { ReadFields } from '../read-fields.js';
import { Link } from '../router.js';

type PageProgress = DocumentEventBody['pages'][number];
type RecentDocument = RecentUploadsBody[number];
type Kind = SubmissionBody['kind'];
type Sheet = BatchBody['sheets'][number];

const PAGE_STATE: Record<PageProgress['state'], MessageKey> = {
  queued: 'stateQueued',
  cleanup: 'stateCleanup',
  ocr: 'stateOcr',
  read: 'stateRead',
  packaged: 'statePackaged',
  failed: 'stateFailed',
};

const DOSSIER_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-\d{6}-\d{4}$/;
const PROCEDURE_CODE = /^\d\.\d{6}$/;

export function viewerHref(code: string, number: number, page?: number): string {
  return `/viewer/${encodeURIComponent(code)}/${number}${page ? `?page=${page}` : ''}`;
}

const documentPath = (code: string, number: number) => `/api/dossiers/${encodeURIComponent(code)}/documents/${number}`;

/** What to tell the operator of a failed call: the API's own message, or that the server was out of reach. */
export function failureText(err: unknown, t: I18n['t']): string {
  if (err instanceof ApiError) return err.status === 0 ? t('networkError') : err.message;
  return String((err as Error)?.message ?? err);
}

function KindField({ name, value, onChange }: { name: string; value: Kind; onChange: (kind: Kind) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('kind')}
      <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value as Kind)}>
        <option value="component">{t('component')}</option>
        <option value="result">{t('result')}</option>
      </select>
    </label>
  );
}

/** A dossier's cover sheet to print: the station puts one on top of each document of a stack. */
function CoverSheetPanel({ me }: { me: Me }) {
  const { t } = useI18n();
  const [code, setCode] = useState(me.agencyCode ? `${me.agencyCode}-` : '');
  const [kind, setKind] = useState<Kind>('component');
  const [procedure, setProcedure] = useState('');
  const valid = DOSSIER_CODE.test(code) && (procedure === '' || PROCEDURE_CODE.test(procedure));
  // The API refuses a station another agency's dossier: said here, before a new tab opens on an error.
  const otherAgency = valid && me.role === 'station' && me.agencyCode !== null && !code.startsWith(`${me.agencyCode}-`);
  const href = `/api/dossiers/${encodeURIComponent(code)}/coversheet${query({ kind, procedure })}`;
  return (
    <section class="card coversheet" aria-labelledby="coversheet-title">
      <h2 id="coversheet-title">{t('coverSheetTitle')}</h2>
      <p class="muted">{t('coverSheetHint')}</p>
      <label>
        {t('dossierCode')}
        <input
          name="sheetDossier"
          value={code}
          pattern={DOSSIER_CODE.source}
          placeholder="000.00.15.H17-231114-0001"
          onInput={(e) => setCode(e.currentTarget.value.trim().toUpperCase())}
        />
      </label>
      <KindField name="sheetKind" value={kind} onChange={setKind} />
      <label>
        {t('procedureCode')}
        <input
          name="sheetProcedure"
          value={procedure}
          pattern={PROCEDURE_CODE.source}
          placeholder="1.004227"
          onInput={(e) => setProcedure(e.currentTarget.value.trim())}
        />
      </label>
      {otherAgency && (
        <p class="notice error" role="alert">
          {t('otherAgency', { agency: me.agencyCode ?? '' })}
        </p>
      )}
      {valid && !otherAgency ? (
        <a class="button primary print" href={href} target="_blank" rel="noopener" aria-describedby="coversheet-opens">
          {t('printCoverSheet')}
        </a>
      ) : (
        <button type="button" class="primary print" disabled aria-describedby="coversheet-opens">
          {t('printCoverSheet')}
        </button>
      )}
      <small id="coversheet-opens">{valid ? t('coverSheetOpens') : t('coverSheetFillCode')}</small>
    </section>
  );
}

type Mode = 'single' | 'stack';

function UploadForm({
  me,
  onSubmitted,
  onStack,
}: {
  me: Me;
  onSubmitted: (s: SubmissionBody) => void;
  onStack: (batch: BatchBody) => void;
}) {
  const { t, number } = useI18n();
  const [mode, setMode] = useState<Mode>('single');
  const [code, setCode] = useState(me.agencyCode ? `${me.agencyCode}-` : '');
  // A stack's dossier is optional: empty unless its first pages come before any cover sheet.
  const [fallback, setFallback] = useState('');
  const [kind, setKind] = useState<Kind>('component');
  const [procedure, setProcedure] = useState('');
  const [title, setTitle] = useState('');
  const [metadata, setMetadata] = useState<MetadataDraft>(EMPTY_METADATA);
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = useRef(false);
  // One key per upload: made by the first click, kept while the same upload is sent again (its
  // answer lost, the server away), so a retry never makes a second document; what is sent changing
  // makes it another upload.
  const key = useRef<string | null>(null);
  useEffect(() => {
    key.current = null;
  }, [mode, code, fallback, kind, procedure, title, metadata, files]);
  const add = (list: FileList | null) => list && setFiles((current) => [...current, ...Array.from(list)]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.current) return;
    setError('');
    if (files.length === 0) {
      setError(t('chooseFiles'));
      return;
    }
    const form = new FormData();
    const dossier = (mode === 'single' ? code : fallback).trim();
    if (mode === 'single' || dossier) {
      if (mode === 'stack') form.set('dossier', dossier);
      form.set('kind', kind);
      if (procedure) form.set('procedure', procedure);
      if (title && mode === 'single') form.set('title', title);
    }
    if (mode === 'single') {
      const json = metadataJson(metadata);
      if (json) form.set('metadata', json);
      if (metadata.component.trim() && kind === 'component') form.set('component', metadata.component.trim());
    }
    for (const file of files) form.append('file', file, file.name);
    key.current ??= newIdempotencyKey();
    const headers = { 'idempotency-key': key.current };
    busy.current = true;
    setProgress(0);
    try {
      if (mode === 'single') {
        onSubmitted(await upload<SubmissionBody>(`/api/dossiers/${encodeURIComponent(dossier)}/documents`, form, setProgress, headers));
      } else {
        onStack(await upload<BatchBody>('/api/batches', form, setProgress, headers));
      }
      key.current = null;
      setFiles([]);
    } catch (err) {
      setError(`${t('uploadFailed')}: ${failureText(err, t)}`);
    } finally {
      busy.current = false;
      setProgress(null);
    }
  };
  const kindField = <KindField name="kind" value={kind} onChange={setKind} />;
  const procedureField = (
    <label>
      {t('procedureCode')}
      <input
        name="procedure"
        value={procedure}
        pattern={PROCEDURE_CODE.source}
        placeholder="1.004227"
        onInput={(e) => setProcedure(e.currentTarget.value.trim())}
      />
    </label>
  );
  return (
    <form class="card upload" data-mode={mode} onSubmit={submit}>
      <h2>{t('uploadTitle')}</h2>
      <fieldset class="segmented">
        <legend class="sr-only">{t('uploadWhat')}</legend>
        {(['single', 'stack'] as const).map((m) => (
          <label key={m} class={`segment ${mode === m ? 'active' : ''}`}>
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {t(m === 'single' ? 'modeSingle' : 'modeStack')}
          </label>
        ))}
      </fieldset>
      {mode === 'single' ? (
        <div class="grid">
          <label>
            {t('dossierCode')}
            <input
              name="dossier"
              required
              value={code}
              pattern={DOSSIER_CODE.source}
              placeholder="000.00.15.H17-231114-0001"
              aria-describedby="code-hint"
              onInput={(e) => setCode(e.currentTarget.value.toUpperCase())}
            />
            <small id="code-hint">{t('dossierCodeHint')}</small>
          </label>
          {kindField}
          {procedureField}
          <label>
            {t('title')}
            <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
          <MetadataFields draft={metadata} onChange={setMetadata} />
        </div>
      ) : (
        <>
          <p class="muted stack-hint">{t('stackHint')}</p>
          <fieldset class="fallback">
            <legend>{t('stackFallback')}</legend>
            <div class="grid">
              <label>
                {t('dossierCode')}
                <input
                  name="dossier"
                  value={fallback}
                  pattern={DOSSIER_CODE.source}
                  placeholder="000.00.15.H17-231114-0001"
                  aria-describedby="fallback-hint"
                  onInput={(e) => setFallback(e.currentTarget.value.toUpperCase())}
                />
              </label>
              {kindField}
              {procedureField}
              <small id="fallback-hint" class="fallback-hint">
                {t('stackFallbackHint')}
              </small>
            </div>
          </fieldset>
        </>
      )}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; the keyboard reaches the file input inside */}
      <div
        class={`drop ${dragging ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer?.files ?? null);
        }}
      >
        <label class="drop-label">
          {t('dropFiles')}
          <input
            ref={input}
            type="file"
            name="files"
            class="file-input"
            multiple
            accept=".jpg,.jpeg,.png,.tif,.tiff,.pdf,image/jpeg,image/png,image/tiff,application/pdf"
            onChange={(e) => {
              add(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
          {/* The browser's own button speaks the browser's language; this one speaks the app's. */}
          <span class="button file-button" aria-hidden="true">
            {t('chooseFilesButton')}
          </span>
        </label>
      </div>
      {files.length > 0 && (
        <ol class="files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} <span class="muted">({number(f.size / 1024)} KB)</span>{' '}
              <button type="button" class="link" onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ol>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {progress !== null && (
        <p>
          {t('uploading')} <progress value={progress} max={1} /> {number(progress * 100)}%
        </p>
      )}
      <button type="submit" class="primary" disabled={progress !== null}>
        {t('upload')}
      </button>
    </form>
  );
}

/** A page's flags beside its state: left out of the PDF/A as blank, or scanned under 200 dpi. */
function PageFlags({ page }: { page: PageProgress }) {
  const { t } = useI18n();
  return (
    <>
      {page.blank && <span class="badge blank">{t('blankPage')}</span>}
      {page.lowResolution && <span class="badge warn">⚠ {t('lowResolution', { dpi: page.dpi ?? '?' })}</span>}
    </>
  );
}

/** One submitted document, its pages' states streamed by the API until it is packaged; its failed pages sent again on request. */
function DocumentWatch({ submission, onSettled }: { submission: SubmissionBody; onSettled?: () => void }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<DocumentEventBody | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  // Each retry of the failed pages is a new round of the stream.
  const [round, setRound] = useState(0);
  const [retrying, setRetrying] = useState(false);
  const [retried, setRetried] = useState<number | null>(null);
  const [retryError, setRetryError] = useState('');
  const { dossierCode: code, documentNumber: n } = submission;
  useEffect(() => {
    const events = new EventSource(`${documentPath(code, n)}/events`);
    events.addEventListener('progress', (e) => {
      const next = JSON.parse((e as MessageEvent).data) as DocumentEventBody;
      setProgress(next);
      if (next.state !== 'processing') {
        events.close();
        onSettled?.();
      }
    });
    // A dropped or timed-out stream reconnects by itself (the server says how soon); a passing fault is shown.
    events.addEventListener('unavailable', () => setUnavailable(true));
    events.addEventListener('open', () => setUnavailable(false));
    return () => events.close();
  }, [code, n, round]);
  const state = progress?.state ?? 'processing';
  const pages = progress?.pages ?? [];
  const failed = pages.filter((p) => p.state === 'failed').length;
  const lowResolution = pages.filter((p) => p.lowResolution).length;
  const blank = pages.filter((p) => p.blank).length;
  const pageCount = pages.length || submission.pages;
  const retry = async () => {
    setRetrying(true);
    setRetryError('');
    try {
      const again = await api<SubmissionBody>(`${documentPath(code, n)}/redo`, { method: 'POST' });
      setRetried(again.pages);
      setProgress(null);
      setRound((r) => r + 1);
    } catch (err) {
      setRetryError(`${t('retryFailedError')}: ${failureText(err, t)}`);
    } finally {
      setRetrying(false);
    }
  };
  return (
    <section class="card watch" data-file-code={submission.fileCode} data-state={state}>
      <h3>
        <span>{submission.fileCode}</span>
        <span class="muted">
          · {t(submission.kind)}
          {pageCount > 0 && ` · ${t('pagesCount', { n: pageCount })}`}
        </span>
        <span class={`badge ${state}`}>
          {t(state === 'completed' ? 'stateCompleted' : state === 'failed' ? 'stateFailed' : 'stateProcessing')}
        </span>
        {state === 'completed' && failed > 0 && (
          <button type="button" class="retry" onClick={retry} disabled={retrying}>
            ↻ {t('retryFailed')}
          </button>
        )}
        {state === 'completed' && (
          <Link href={viewerHref(code, n)} class="button">
            {t('openPdf')}
          </Link>
        )}
      </h3>
      {submission.alreadyDigitized && <p class="notice">{t('alreadyDigitized')}</p>}
      {unavailable && <p class="notice error">{t('progressUnavailable')}</p>}
      {retryError && (
        <p class="notice error" role="alert">
          {retryError}
        </p>
      )}
      {retried !== null && !retryError && (
        <p class="notice" role="status">
          {t('retryQueued', { n: retried })}
        </p>
      )}
      {lowResolution > 0 && (
        <p class="notice warn" role="status">
          ⚠ {t('lowResolutionPages', { n: lowResolution })}
        </p>
      )}
      {blank > 0 && <p class="notice">{t('blankPages', { n: blank })}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('page')}</th>
            <th scope="col">{t('file')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('resolution')}</th>
            <th scope="col" aria-label={t('page')} />
          </tr>
        </thead>
        <tbody>
          {pages.map((p) => (
            <tr
              key={p.page}
              class={p.lowResolution ? 'low-resolution' : p.blank ? 'blank' : ''}
              data-page={p.page}
              data-state={p.state}
              data-blank={p.blank ? 'true' : undefined}
              data-low-resolution={p.lowResolution ? 'true' : undefined}
            >
              <td>{p.page}</td>
              <td>
                {p.file}
                {p.filePage > 1 ? ` (${t('page').toLowerCase()} ${p.filePage})` : ''}
              </td>
              <td>
                <span class={`state ${p.state}`}>{t(PAGE_STATE[p.state])}</span>
                <PageFlags page={p} />
                {p.reason && <div class="reason">{p.reason}</div>}
              </td>
              <td class={p.lowResolution ? 'warn' : ''}>{p.dpi ?? '—'}</td>
              <td>
                {(p.state === 'read' || p.state === 'packaged') && (
                  <img
                    class="thumb"
                    loading="lazy"
                    alt={`${t('page')} ${p.page}`}
                    src={`${documentPath(code, n)}/pages/${p.page}/thumbnail?width=160`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {state === 'completed' && <ReadFields path={documentPath(code, n)} />}
    </section>
  );
}

/**
 * The sheets of a stack, each with the document it started. Documents come in the stack's order:
 * the pages before the first sheet (when a dossier was named for them) first, then one per sheet
 * that pages followed.
 */
function sheetDocuments(batch: BatchBody): (SubmissionBody | undefined)[] {
  const started = batch.sheets.filter((s) => !s.empty).length;
  const before = batch.documents.length - started;
  if (before !== 0 && before !== 1) return batch.sheets.map(() => undefined);
  let next = before;
  return batch.sheets.map((s) => (s.empty ? undefined : batch.documents[next++]));
}

/** What a stack became: the sheets found in it, an empty one flagged, and each document made, watched live. */
function StackResult({ batch, onSettled }: { batch: BatchBody; onSettled: () => void }) {
  const { t } = useI18n();
  const made = sheetDocuments(batch);
  const before = batch.documents.length - batch.sheets.filter((s) => !s.empty).length === 1 ? batch.documents[0] : undefined;
  const sheetRow = (s: Sheet, i: number) => (
    <tr key={`${s.file}-${s.page}`} class={s.empty ? 'empty' : ''} data-empty={s.empty ? 'true' : undefined}>
      <td>{s.file}</td>
      <td>{s.page}</td>
      <td>{s.dossierCode}</td>
      <td>{t(s.kind)}</td>
      <td>{s.procedureCode ?? '—'}</td>
      <td>
        {s.empty ? (
          <span class="badge warn">⚠ {t('emptySheet')}</span>
        ) : (
          made[i] && <span class="state packaged">{t('sheetMadeDocument', { fileCode: made[i].fileCode })}</span>
        )}
      </td>
    </tr>
  );
  return (
    <section class="card stack" data-batch={batch.batchId}>
      <h3>{t('stackTitle', { documents: batch.documents.length, sheets: batch.sheets.length })}</h3>
      {batch.alreadySubmitted && <p class="notice">{t('alreadySubmitted')}</p>}
      <h4>{t('sheetsFound')}</h4>
      {batch.sheets.length === 0 ? (
        <p class="muted">{t('noSheets')}</p>
      ) : (
        <table class="sheets">
          <thead>
            <tr>
              <th scope="col">{t('file')}</th>
              <th scope="col">{t('page')}</th>
              <th scope="col">{t('dossierCode')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('procedureCode')}</th>
              <th scope="col">{t('documentsMade')}</th>
            </tr>
          </thead>
          <tbody>
            {before && (
              <tr class="before">
                <td colSpan={5}>{t('beforeFirstSheet')}</td>
                <td>
                  <span class="state packaged">{t('sheetMadeDocument', { fileCode: before.fileCode })}</span>
                </td>
              </tr>
            )}
            {batch.sheets.map(sheetRow)}
          </tbody>
        </table>
      )}
      {batch.documents.length > 0 && <h4>{t('documentsMade')}</h4>}
      {batch.documents.map((d) => (
        <DocumentWatch key={d.fileCode} submission={d} onSettled={onSettled} />
      ))}
    </section>
  );
}

function RecentUploads({ refresh, onRetried }: { refresh: number; onRetried: (s: SubmissionBody) => void }) {
  const { t, dateTime } = useI18n();
  const [items, setItems] = useState<RecentDocument[] | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<RecentDocument[]>('/api/uploads?limit=20').then(setItems, () => setItems([]));
  }, [refresh]);
  const retry = async (d: RecentDocument) => {
    setRetrying(d.fileCode);
    setError('');
    try {
      onRetried(await api<SubmissionBody>(`${documentPath(d.dossierCode, d.number)}/redo`, { method: 'POST' }));
    } catch (err) {
      setError(`${t('retryFailedError')} ${d.fileCode}: ${failureText(err, t)}`);
    } finally {
      setRetrying(null);
    }
  };
  if (!items) return <p>{t('loading')}</p>;
  return (
    <section class="card">
      <h2>{t('recentUploads')}</h2>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('document')}</th>
            <th scope="col">{t('kind')}</th>
            <th scope="col">{t('pages')}</th>
            <th scope="col">{t('failedPages')}</th>
            <th scope="col">{t('submittedBy')}</th>
            <th scope="col">{t('completedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                {t('noUploadsYet')}
              </td>
            </tr>
          )}
          {items.map((d) => (
            <tr key={d.fileCode} data-file-code={d.fileCode}>
              <td>
                <Link href={viewerHref(d.dossierCode, d.number)}>{d.fileCode}</Link>
              </td>
              <td>{t(d.kind)}</td>
              <td>{d.pageCount}</td>
              <td>
                {d.pagesFailed}
                {d.pagesFailed > 0 && (
                  <button type="button" class="retry small" onClick={() => retry(d)} disabled={retrying !== null}>
                    ↻ {t('retryFailed')}
                  </button>
                )}
              </td>
              <td>{d.submittedBy}</td>
              <td>{dateTime(d.completedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Entry = { id: number; document: SubmissionBody } | { id: number; batch: BatchBody };

export function StationPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [entries, setEntries] = useState<Entry[]>([]);
  const ids = useRef(0);
  const addDocument = (document: SubmissionBody) => setEntries((list) => [{ id: ++ids.current, document }, ...list]);
  const addBatch = (batch: BatchBody) => setEntries((list) => [{ id: ++ids.current, batch }, ...list]);
  // A document done is on the recent list once the catalog has indexed it, moments after packaging: asked now and again shortly.
  const [settled, setSettled] = useState(0);
  const refreshRecent = () => {
    setSettled((n) => n + 1);
    setTimeout(() => setSettled((n) => n + 1), 3000);
  };
  return (
    <div class="station">
      <div class="station-top">
        <UploadForm me={me} onSubmitted={addDocument} onStack={addBatch} />
        <CoverSheetPanel me={me} />
      </div>
      {entries.length > 0 && (
        <section>
          <h2>{t('sessionUploads')}</h2>
          {entries.map((e) =>
            'batch' in e ? (
              <StackResult key={e.id} batch={e.batch} onSettled={refreshRecent} />
            ) : (
              <DocumentWatch key={e.id} submission={e.document} onSettled={refreshRecent} />
            ),
          )}
        </section>
      )}
      <RecentUploads refresh={entries.length + settled} onRetried={addDocument} />
    </div>
  );
}
