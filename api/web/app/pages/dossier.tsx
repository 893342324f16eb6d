/** One dossier: its codes and dates, its documents, and each page with its OCR confidence. */
import { useEffect, useState } from 'preact/hooks';
import type { DossierDetailBody } from '../../../http/schemas.js';
import { ApiError, api } from '../api.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';
import { viewerHref } from './station.js';

type DossierDetail = DossierDetailBody;

export function DossierPage({ code }: { code: string }) {
  const { t, date, dateTime, number } = useI18n();
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [error, setError] = useState('');
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
      {dossier.documents.map((d) => (
        <section class="card" key={d.number}>
          <h2>
            {d.fileCode} · {t(d.kind)}{' '}
            {d.pdfKey && (
              <Link href={viewerHref(dossier.code, d.number)} class="button">
                {t('openPdf')}
              </Link>
            )}
          </h2>
          <p class="muted">
            {t('submittedBy')}: {d.submittedBy} · {t('completedAt')}: {dateTime(d.completedAt)} · {t('pages')}: {d.pageCount}
          </p>
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
              {d.pages.map((p) => (
                <tr key={p.number}>
                  <td>{p.number}</td>
                  <td>
                    <span class={`state ${p.status === 'done' ? 'packaged' : 'failed'}`}>
                      {t(p.status === 'done' ? 'statePackaged' : 'stateFailed')}
                    </span>
                    {p.error && <div class="reason">{p.error}</div>}
                  </td>
                  <td class={p.lowConfidence ? 'warn' : ''}>
                    {p.confidence === null ? '—' : number(p.confidence, 1)}
                    {p.lowConfidence ? ` (${t('lowConfidence')})` : ''}
                  </td>
                  <td>{p.dpi ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
