/**
 * The scanning station: pick the dossier, kind and procedure, drop the scans, watch every page go
 * through cleanup, OCR and packaging live (server-sent events), check the thumbnails, open the PDF/A.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DocumentEventBody, RecentUploadsBody, SubmissionBody } from '../../../http/schemas.js';
import { ApiError, api, type Me, upload } from '../api.js';
import { type MessageKey, useI18n } from '../i18n.js';
import { Link } from '../router.js';

type PageProgress = DocumentEventBody['pages'][number];
type RecentDocument = RecentUploadsBody[number];

const PAGE_STATE: Record<PageProgress['state'], MessageKey> = {
  queued: 'stateQueued',
  cleanup: 'stateCleanup',
  ocr: 'stateOcr',
  read: 'stateRead',
  packaged: 'statePackaged',
  failed: 'stateFailed',
};

const DOSSIER_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}-\d{6}-\d{4}$/;

export function viewerHref(code: string, number: number, page?: number): string {
  return `/viewer/${encodeURIComponent(code)}/${number}${page ? `?page=${page}` : ''}`;
}

function UploadForm({ me, onSubmitted }: { me: Me; onSubmitted: (s: SubmissionBody) => void }) {
  const { t, number } = useI18n();
  const [code, setCode] = useState(me.agencyCode ? `${me.agencyCode}-` : '');
  const [kind, setKind] = useState<'component' | 'result'>('component');
  const [procedure, setProcedure] = useState('');
  const [title, setTitle] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const add = (list: FileList | null) => list && setFiles((current) => [...current, ...Array.from(list)]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (files.length === 0) {
      setError(t('chooseFiles'));
      return;
    }
    const form = new FormData();
    form.set('kind', kind);
    if (procedure) form.set('procedure', procedure);
    if (title) form.set('title', title);
    for (const file of files) form.append('file', file, file.name);
    setProgress(0);
    try {
      const submission = await upload<SubmissionBody>(`/api/dossiers/${encodeURIComponent(code.trim())}/documents`, form, setProgress);
      onSubmitted(submission);
      setFiles([]);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };
  return (
    <form class="card upload" onSubmit={submit}>
      <h2>{t('uploadTitle')}</h2>
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
        <label>
          {t('kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'component' | 'result')}>
            <option value="component">{t('component')}</option>
            <option value="result">{t('result')}</option>
          </select>
        </label>
        <label>
          {t('procedureCode')}
          <input
            name="procedure"
            value={procedure}
            pattern="\d\.\d{6}"
            placeholder="1.004227"
            onInput={(e) => setProcedure(e.currentTarget.value.trim())}
          />
        </label>
        <label>
          {t('title')}
          <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
      </div>
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
            multiple
            accept=".jpg,.jpeg,.png,.tif,.tiff,.pdf,image/jpeg,image/png,image/tiff,application/pdf"
            onChange={(e) => {
              add(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
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

/** One submitted document, its pages' states streamed by the API until it is packaged. */
function DocumentWatch({ submission }: { submission: SubmissionBody }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<DocumentEventBody | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const { dossierCode: code, documentNumber: n } = submission;
  useEffect(() => {
    const events = new EventSource(`/api/dossiers/${encodeURIComponent(code)}/documents/${n}/events`);
    events.addEventListener('progress', (e) => {
      const next = JSON.parse((e as MessageEvent).data) as DocumentEventBody;
      setProgress(next);
      if (next.state !== 'processing') events.close();
    });
    // A dropped or timed-out stream reconnects by itself (the server says how soon); a passing fault is shown.
    events.addEventListener('unavailable', () => setUnavailable(true));
    events.addEventListener('open', () => setUnavailable(false));
    return () => events.close();
  }, [code, n]);
  const state = progress?.state ?? 'processing';
  return (
    <section class="card watch" data-file-code={submission.fileCode} data-state={state}>
      <h3>
        {submission.fileCode}{' '}
        <span class={`badge ${state}`}>
          {t(state === 'completed' ? 'stateCompleted' : state === 'failed' ? 'stateFailed' : 'stateProcessing')}
        </span>
        {state === 'completed' && (
          <Link href={viewerHref(code, n)} class="button">
            {t('openPdf')}
          </Link>
        )}
      </h3>
      {submission.alreadyDigitized && <p class="notice">{t('alreadyDigitized')}</p>}
      {unavailable && <p class="notice error">{t('progressUnavailable')}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('page')}</th>
            <th scope="col">{t('file')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col" aria-label={t('page')} />
          </tr>
        </thead>
        <tbody>
          {(progress?.pages ?? []).map((p) => (
            <tr key={p.page} data-page={p.page} data-state={p.state}>
              <td>{p.page}</td>
              <td>
                {p.file}
                {p.filePage > 1 ? ` (${t('page').toLowerCase()} ${p.filePage})` : ''}
              </td>
              <td>
                <span class={`state ${p.state}`}>{t(PAGE_STATE[p.state])}</span>
                {p.blank && <span class="badge warn">{t('blankPage')}</span>}
                {p.reason && <div class="reason">{p.reason}</div>}
              </td>
              <td>
                {(p.state === 'read' || p.state === 'packaged') && (
                  <img
                    class="thumb"
                    loading="lazy"
                    alt={`${t('page')} ${p.page}`}
                    src={`/api/dossiers/${encodeURIComponent(code)}/documents/${n}/pages/${p.page}/thumbnail?width=160`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RecentUploads({ refresh }: { refresh: number }) {
  const { t, dateTime } = useI18n();
  const [items, setItems] = useState<RecentDocument[] | null>(null);
  useEffect(() => {
    api<RecentDocument[]>('/api/uploads?limit=20').then(setItems, () => setItems([]));
  }, [refresh]);
  if (!items) return <p>{t('loading')}</p>;
  return (
    <section class="card">
      <h2>{t('recentUploads')}</h2>
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
          {items.map((d) => (
            <tr key={d.fileCode}>
              <td>
                <Link href={viewerHref(d.dossierCode, d.number)}>{d.fileCode}</Link>
              </td>
              <td>{t(d.kind)}</td>
              <td>{d.pageCount}</td>
              <td>{d.pagesFailed}</td>
              <td>{d.submittedBy}</td>
              <td>{dateTime(d.completedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StationPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [submitted, setSubmitted] = useState<SubmissionBody[]>([]);
  return (
    <div class="station">
      <UploadForm me={me} onSubmitted={(s) => setSubmitted((list) => [s, ...list])} />
      {submitted.length > 0 && (
        <section>
          <h2>{t('sessionUploads')}</h2>
          {submitted.map((s) => (
            <DocumentWatch key={s.fileCode} submission={s} />
          ))}
        </section>
      )}
      <RecentUploads refresh={submitted.length} />
    </div>
  );
}
