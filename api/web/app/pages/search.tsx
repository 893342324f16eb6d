/**
 * The archivist's search: words with or without diacritics, filters, highlighted snippets, paging;
 * each hit opens the document's PDF/A at its page in Sohoa's own viewer.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SearchBody } from '../../../http/schemas.js';
import { ApiError, api, query } from '../api.js';
import { useI18n } from '../i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { viewerHref } from './station.js';

const FIELDS = ['q', 'procedure', 'agency', 'from', 'to', 'kind', 'dossier', 'mode'] as const;
type Field = (typeof FIELDS)[number];
const PAGE_SIZE = 10;

/** The snippet with its matches (between « and ») marked. */
export function Snippet({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  for (const [i, part] of text.split(/«|»/).entries()) parts.push(i % 2 ? <mark key={i}>{part}</mark> : part);
  return <p class="snippet">{parts}</p>;
}

export function SearchPage() {
  const { t, number, date } = useI18n();
  const { params } = useLocation();
  const form = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>;
  const offset = Number(params.get('offset') ?? 0);
  const [draft, setDraft] = useState(form);
  const [result, setResult] = useState<SearchBody | null>(null);
  const [error, setError] = useState('');
  const key = params.toString();
  useEffect(() => {
    setDraft(form);
    if (!form.q) {
      setResult(null);
      return;
    }
    setError('');
    // An earlier search answering after this one must not overwrite it.
    let current = true;
    api<SearchBody>(`/api/search${query({ ...form, offset, limit: PAGE_SIZE })}`).then(
      (found) => current && setResult(found),
      (err: unknown) => current && setError(err instanceof ApiError ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [key]);
  const go = (next: Partial<Record<Field | 'offset', string | number>>) => navigate(`/search${query({ ...draft, offset: 0, ...next })}`);
  const field = (name: Field, label: string, attrs: Record<string, string> = {}) => (
    <label>
      {label}
      <input name={name} value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })} {...attrs} />
    </label>
  );
  return (
    <div class="search">
      <search>
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            go({});
          }}
        >
          <h1>{t('searchTitle')}</h1>
          <div class="searchbar">
            <input
              name="q"
              type="search"
              aria-label={t('search')}
              placeholder={t('searchPlaceholder')}
              value={draft.q}
              required
              onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            />
            <button type="submit" class="primary">
              {t('search')}
            </button>
          </div>
          <fieldset>
            <legend>{t('filters')}</legend>
            <div class="grid">
              {field('procedure', t('procedureCode'), { placeholder: '1.004227' })}
              {field('agency', t('agencyCode'), { placeholder: '000.00.15.H17' })}
              {field('from', t('receivedFrom'), { type: 'date' })}
              {field('to', t('receivedTo'), { type: 'date' })}
              {field('dossier', t('dossierCode'), { placeholder: '000.00.15.H17-2311*' })}
              <label>
                {t('kind')}
                <select name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value })}>
                  <option value="">{t('anyKind')}</option>
                  <option value="component">{t('component')}</option>
                  <option value="result">{t('result')}</option>
                </select>
              </label>
              <label class="check">
                <input
                  type="checkbox"
                  name="mode"
                  checked={draft.mode === 'any'}
                  onChange={(e) => setDraft({ ...draft, mode: e.currentTarget.checked ? 'any' : '' })}
                />
                {t('anyWord')}
              </label>
            </div>
          </fieldset>
        </form>
      </search>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section class="results" aria-live="polite">
          <h2>
            {result.total === 0
              ? t('noResults')
              : t('resultsCount', { n: `${number(result.total)}${result.totalIsLowerBound ? '+' : ''}` })}
          </h2>
          {Object.keys(result.fuzzy).length > 0 && (
            <p class="muted">
              {t('alsoSpellings')}{' '}
              {Object.entries(result.fuzzy)
                .map(([w, s]) => `${w} → ${s.join(', ')}`)
                .join('; ')}
            </p>
          )}
          <ol class="hits" start={result.offset + 1}>
            {result.hits.map((h) => (
              <li key={`${h.fileCode}-${h.pageNumber}`} class="card hit">
                <div class="hit-head">
                  <Link href={`/dossiers/${encodeURIComponent(h.dossierCode)}`}>{h.fileCode}</Link>
                  <span class="muted">
                    {t(h.kind)} · {t('page')} {h.pageNumber} · {h.procedureCode ?? '—'} · {date(h.receivedOn)}
                  </span>
                  <Link href={viewerHref(h.dossierCode, h.documentNumber, h.pdfPage)} class="button">
                    {t('openAtPage', { n: h.pdfPage })}
                  </Link>
                </div>
                <Snippet text={h.snippet} />
              </li>
            ))}
          </ol>
          <div class="pager">
            <button type="button" disabled={result.offset === 0} onClick={() => go({ ...form, offset: Math.max(0, offset - PAGE_SIZE) })}>
              {t('previous')}
            </button>
            <button
              type="button"
              disabled={result.offset + result.hits.length >= result.total}
              onClick={() => go({ ...form, offset: offset + PAGE_SIZE })}
            >
              {t('next')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
