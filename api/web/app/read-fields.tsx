/**
 * What Sohoa read from a document's pages (the Decree 30 layout), under its upload: the fields it
 * filled, the fields it was unsure of — each with the crop of the page it was read from, the value
 * read, and a box for the station to confirm or put right (sent as a metadata correction) — and what
 * it keeps as read (place, recipients, signer).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ReadFieldsBody } from '../../http/schemas.js';
import { api } from './api.js';
import { type MessageKey, useI18n } from './i18n.js';

type ReadField = ReadFieldsBody['fields'][number];

const LABELS: Record<string, MessageKey> = {
  organName: 'metaOrganName',
  parentOrgan: 'readParentOrgan',
  codeNumber: 'metaCodeNumber',
  codeNotation: 'metaCodeNotation',
  issuedDate: 'metaIssuedDate',
  place: 'readPlace',
  typeName: 'metaTypeName',
  subject: 'metaSubject',
  recipients: 'readRecipients',
  signerPosition: 'readSignerPosition',
  signerName: 'readSignerName',
};

const STATUS: Record<ReadField['status'], MessageKey> = {
  filled: 'readFilled',
  'to-confirm': 'readToConfirm',
  given: 'readGiven',
  read: 'readKept',
};

const ORDER = Object.keys(LABELS);
const byLabel = (a: ReadField, b: ReadField) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name);

const shown = (value: unknown) => (Array.isArray(value) ? value.join('; ') : String(value ?? ''));

function Confirm({ field, path, onDone }: { field: ReadField; path: string; onDone: () => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState(shown(field.value));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api(`${path}/metadata`, { method: 'PATCH', body: { [field.name]: value.trim() } });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="confirm" onSubmit={save}>
      <input
        aria-label={t(LABELS[field.name]!)}
        value={value}
        placeholder={field.name === 'issuedDate' ? 'YYYY-MM-DD' : undefined}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit" disabled={busy || !value.trim()}>
        {t('readConfirm')}
      </button>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function ReadFields({ path }: { path: string }) {
  const { t, number } = useI18n();
  const [fields, setFields] = useState<ReadField[] | null>(null);
  const [round, setRound] = useState(0);
  // Open at first when something waits for the station; then as the station leaves it.
  const [open, setOpen] = useState<boolean | null>(null);
  useEffect(() => {
    api<ReadFieldsBody>(`${path}/read-fields`)
      .then((body) => {
        setFields(body.fields);
        setOpen((was) => was ?? body.fields.some((f) => f.status === 'to-confirm'));
      })
      .catch(() => setFields([]));
  }, [path, round]);
  if (!fields?.length) return null;
  const toConfirm = fields.filter((f) => f.status === 'to-confirm').length;
  return (
    <details class="read-fields" open={open ?? false} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        {t('readTitle')}
        {toConfirm > 0 && <span class="badge warn">{t('readToConfirmCount', { n: toConfirm })}</span>}
      </summary>
      <p class="muted">{t('readHint')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('readField')}</th>
            <th scope="col">{t('readValue')}</th>
            <th scope="col">{t('confidence')}</th>
            <th scope="col">{t('state')}</th>
          </tr>
        </thead>
        <tbody>
          {[...fields].sort(byLabel).map((f) => (
            <tr key={f.name} data-field={f.name} data-status={f.status}>
              <th scope="row">{t(LABELS[f.name] ?? 'readField')}</th>
              <td>
                {f.status === 'to-confirm' ? (
                  <>
                    {f.name === 'issuedDate' && !/^\d{4}-\d{2}-\d{2}$/.test(shown(f.value)) && <p class="muted">{t('readDatePart')}</p>}
                    <img class="crop" alt={t('readCropOf', { field: t(LABELS[f.name]!) })} src={`${f.cropUrl}?width=640`} />
                    <Confirm field={f} path={path} onDone={() => setRound((r) => r + 1)} />
                  </>
                ) : (
                  <>
                    {shown(f.status === 'given' ? f.given : f.value)}
                    {f.status === 'given' && shown(f.given) !== shown(f.value) && (
                      <div class="muted">
                        {t('readWasRead')}: {shown(f.value)}
                      </div>
                    )}
                  </>
                )}
              </td>
              <td>{number(Math.round(f.confidence * 100))}%</td>
              <td>
                <span class={`state read-${f.status}`}>{t(STATUS[f.status])}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
