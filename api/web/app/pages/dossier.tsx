/**
 * One dossier: its codes and dates, its documents, and each page with its OCR confidence. An admin
 * may withdraw a document sent under the wrong dossier or kind, saying why.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DossierDetailBody, WithdrawalBody } from '../../../http/schemas.js';
import { ApiError, api } from '../api.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';
import { failureText, viewerHref } from './station.js';

type DossierDetail = DossierDetailBody;

/** Circular 05/2025/TT-BNV: paper is digitized at 200 dpi at least. */
const MIN_DPI = 200;
type DossierDocument = DossierDetail['documents'][number];

/** The reason asked for in the page itself, the API's refusal (409: withdrawn already…) shown in its words. */
function WithdrawForm({
  code,
  document,
  onWithdrawn,
  onCancel,
}: {
  code: string;
  document: DossierDocument;
  onWithdrawn: (withdrawal: WithdrawalBody) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const path = `/api/dossiers/${encodeURIComponent(code)}/documents/${document.number}/withdraw`;
      onWithdrawn(await api<WithdrawalBody>(path, { method: 'POST', body: { reason: reason.trim() } }));
    } catch (err) {
      setError(`${t('withdrawFailed')}: ${failureText(err, t)}`);
    } finally {
      setBusy(false);
    }
  };
  const titleId = `withdraw-${document.number}`;
  return (
    <form class="withdraw" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>{t('withdrawTitle', { fileCode: document.fileCode })}</h3>
      <p>{t('withdrawExplain')}</p>
      <label>
        {t('withdrawReason')}
        <textarea
          ref={field}
          name="reason"
          required
          maxLength={500}
          rows={2}
          placeholder={t('withdrawReasonPlaceholder')}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="danger" disabled={busy || reason.trim() === ''}>
          {t('withdrawConfirm')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function DossierPage({ code, canWithdraw = false }: { code: string; canWithdraw?: boolean }) {
  const { t, date, dateTime, number } = useI18n();
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [error, setError] = useState('');
  const [withdrawing, setWithdrawing] = useState<number | null>(null);
  // Withdrawn here: the catalog drops the document once its index job has run; until then it is shown as withdrawn.
  const [withdrawn, setWithdrawn] = useState<Record<number, WithdrawalBody>>({});
  useEffect(() => {
    api<DossierDetail>(`/api/dossiers/${encodeURIComponent(code)}`).then(setDossier, (err: unknown) =>
      setError(err instanceof ApiError ? err.message : String(err)),
    );
  }, [code]);
  if (error) return <p class="notice error">{error}</p>;
  if (!dossier) return <p>{t('loading')}</p>;
  return (
    <div class="dossier">
      <section class="card">
        <h1>
          {t('dossier')} {dossier.code}
        </h1>
        <dl class="facts">
          <dt>{t('receivedOn')}</dt>
          <dd>{date(dossier.receivedOn)}</dd>
          <dt>{t('agency')}</dt>
          <dd>{dossier.agencyCode}</dd>
          <dt>{t('procedure')}</dt>
          <dd>{dossier.procedureCode ?? '—'}</dd>
        </dl>
      </section>
      {dossier.documents.map((d) => {
        const gone = withdrawn[d.number];
        return (
          <section class={`card ${gone ? 'withdrawn' : ''}`} key={d.number} data-document={d.number}>
            <h2>
              <span>
                {d.fileCode} · {t(d.kind)}
              </span>
              {gone && <span class="badge failed">{t('withdrawn')}</span>}
              <span class="actions-right">
                {d.pdfKey && !gone && (
                  <Link href={viewerHref(dossier.code, d.number)} class="button">
                    {t('openPdf')}
                  </Link>
                )}
                {canWithdraw && !gone && withdrawing !== d.number && (
                  <button type="button" class="withdraw" onClick={() => setWithdrawing(d.number)}>
                    {t('withdraw')}
                  </button>
                )}
              </span>
            </h2>
            <p class="muted">
              {t('submittedBy')}: {d.submittedBy} · {t('completedAt')}: {dateTime(d.completedAt)} · {t('pages')}: {d.pageCount}
            </p>
            {gone && (
              <p class="notice ok" role="status">
                {t('withdrawnBy', { by: gone.by, at: dateTime(gone.at), reason: gone.reason })}
              </p>
            )}
            {canWithdraw && !gone && withdrawing === d.number && (
              <WithdrawForm
                code={dossier.code}
                document={d}
                onCancel={() => setWithdrawing(null)}
                onWithdrawn={(w) => {
                  setWithdrawing(null);
                  setWithdrawn((all) => ({ ...all, [d.number]: w }));
                }}
              />
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('page')}</th>
                  <th scope="col">{t('state')}</th>
                  <th scope="col">{t('confidence')}</th>
                  <th scope="col">{t('resolution')}</th>
                </tr>
              </thead>
              <tbody>
                {d.pages.map((p) => {
                  // The catalog keeps a blank page as 'blank' (done, left out of the PDF/A), which the schema does not list yet.
                  const status: string = p.status;
                  const done = status === 'done' || status === 'blank';
                  const low = done && p.dpi !== null && p.dpi < MIN_DPI;
                  return (
                    <tr key={p.number} data-page={p.number}>
                      <td>{p.number}</td>
                      <td>
                        <span class={`state ${done ? 'packaged' : 'failed'}`}>{t(done ? 'statePackaged' : 'stateFailed')}</span>
                        {status === 'blank' && <span class="badge blank">{t('blankPage')}</span>}
                        {low && <span class="badge warn">⚠ {t('lowResolution', { dpi: Math.round(p.dpi ?? 0) })}</span>}
                        {p.error && <div class="reason">{p.error}</div>}
                      </td>
                      <td class={p.lowConfidence ? 'warn' : ''}>
                        {p.confidence === null ? '—' : number(p.confidence, 1)}
                        {p.lowConfidence ? ` (${t('lowConfidence')})` : ''}
                      </td>
                      <td class={low ? 'warn' : ''}>{p.dpi === null ? '—' : Math.round(p.dpi)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
