/**
 * The Circular 05/2025 fields a station most often knows, on the upload form: the document's type,
 * number and notation, issue date, issuing agency and subject, its access mode and retention, the
 * procedure's component it is, and the dossier's title. Sent as the upload's `metadata` field; the
 * server checks every value and derives the rest.
 */
import type { MessageKey } from './i18n.js';
import { useI18n } from './i18n.js';

export interface MetadataDraft {
  component: string;
  dossierTitle: string;
  typeName: string;
  codeNumber: string;
  codeNotation: string;
  issuedDate: string;
  organName: string;
  subject: string;
  mode: string;
  maintenance: string;
}

export const EMPTY_METADATA: MetadataDraft = {
  component: '',
  dossierTitle: '',
  typeName: '',
  codeNumber: '',
  codeNotation: '',
  issuedDate: '',
  organName: '',
  subject: '',
  mode: '',
  maintenance: '',
};

const DOCUMENT_FIELDS = ['typeName', 'codeNumber', 'codeNotation', 'issuedDate', 'organName', 'subject', 'mode', 'maintenance'] as const;

/** The `metadata` field's JSON, or null when nothing was filled in. */
export function metadataJson(draft: MetadataDraft): string | null {
  const document = Object.fromEntries(DOCUMENT_FIELDS.filter((f) => draft[f].trim()).map((f) => [f, draft[f].trim()]));
  const dossier = draft.dossierTitle.trim() ? { title: draft.dossierTitle.trim() } : undefined;
  if (!dossier && Object.keys(document).length === 0) return null;
  return JSON.stringify({ ...(dossier ? { dossier } : {}), document });
}

const TEXT_FIELDS: [keyof MetadataDraft, MessageKey, string?][] = [
  ['typeName', 'metaTypeName', 'Công văn'],
  ['codeNumber', 'metaCodeNumber', '575'],
  ['codeNotation', 'metaCodeNotation', 'UBND-KTTH'],
  ['organName', 'metaOrganName'],
  ['subject', 'metaSubject'],
  ['maintenance', 'metaMaintenance', 'Vĩnh viễn'],
  ['component', 'metaComponent', 'TP01'],
  ['dossierTitle', 'metaDossierTitle'],
];

export function MetadataFields({ draft, onChange }: { draft: MetadataDraft; onChange: (draft: MetadataDraft) => void }) {
  const { t } = useI18n();
  const set = (field: keyof MetadataDraft, value: string) => onChange({ ...draft, [field]: value });
  return (
    <details class="metadata">
      <summary>{t('metadataTitle')}</summary>
      <div class="grid">
        {TEXT_FIELDS.map(([field, label, placeholder]) => (
          <label key={field}>
            {t(label)}
            <input name={field} value={draft[field]} placeholder={placeholder} onInput={(e) => set(field, e.currentTarget.value)} />
          </label>
        ))}
        <label>
          {t('metaIssuedDate')}
          <input name="issuedDate" type="date" value={draft.issuedDate} onInput={(e) => set('issuedDate', e.currentTarget.value)} />
        </label>
        <label>
          {t('metaMode')}
          <select name="mode" value={draft.mode} onChange={(e) => set('mode', e.currentTarget.value)}>
            <option value="">—</option>
            <option value="01">{t('modePublic')}</option>
            <option value="02">{t('modeConditional')}</option>
            <option value="03">{t('modeSecret')}</option>
          </select>
        </label>
      </div>
      <small class="muted">{t('metadataHint')}</small>
    </details>
  );
}
