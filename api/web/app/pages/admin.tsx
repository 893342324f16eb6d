/**
 * Administration: users and their roles and agencies, machine tokens, coverage thresholds, the
 * one-stop-shop register import, the audit log, and the processing queues (bull-board).
 */
import { useEffect, useState } from 'preact/hooks';
import type {
  AuditBody,
  NewPasswordBody,
  RegisterBody,
  ThresholdsBody,
  TokenBody,
  TokenIssuedBody,
  UserBody,
  UserCreatedBody,
} from '../../../http/schemas.js';
import { ApiError, api, query } from '../api.js';
import { type MessageKey, useI18n } from '../i18n.js';
import { navigate, useLocation } from '../router.js';

type Role = UserBody['role'];
const ROLES: Role[] = ['station', 'archivist', 'reform', 'admin'];
const ROLE_LABEL: Record<Role, MessageKey> = {
  station: 'roleStation',
  archivist: 'roleArchivist',
  reform: 'roleReform',
  admin: 'roleAdmin',
};

type AuditEntry = AuditBody[number];

const TABS = ['users', 'tokens', 'thresholds', 'register', 'audit', 'queues'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, MessageKey> = {
  users: 'users',
  tokens: 'tokens',
  thresholds: 'thresholds',
  register: 'register',
  audit: 'auditLog',
  queues: 'queues',
};

function useAction() {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const run = async (work: () => Promise<string | undefined>) => {
    setMessage(null);
    try {
      const text = await work();
      if (text) setMessage({ text, error: false });
    } catch (err) {
      setMessage({ text: err instanceof ApiError ? err.message : String(err), error: true });
    }
  };
  const view = message && (
    <p class={`notice ${message.error ? 'error' : 'ok'}`} role={message.error ? 'alert' : 'status'}>
      {message.text}
    </p>
  );
  return { run, view };
}

interface Grant {
  role: Role;
  agencyCode: string;
}

/** A station acts for one agency; every other role reads across agencies, so it carries none. */
const grantBody = <T extends Grant>(draft: T) => ({ ...draft, agencyCode: draft.role === 'station' ? draft.agencyCode : null });

function GrantFields({ value, onChange }: { value: Grant; onChange: (grant: Grant) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t('role')}
        <select name="role" value={value.role} onChange={(e) => onChange({ ...value, role: e.currentTarget.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(ROLE_LABEL[r])}
            </option>
          ))}
        </select>
      </label>
      {value.role === 'station' && (
        <label>
          {t('agencyCode')}
          <input
            name="agencyCode"
            required
            placeholder="000.00.15.H17"
            value={value.agencyCode}
            onInput={(e) => onChange({ ...value, agencyCode: e.currentTarget.value.toUpperCase() })}
          />
        </label>
      )}
    </>
  );
}

function Users() {
  const { t, dateTime } = useI18n();
  const [users, setUsers] = useState<UserBody[]>([]);
  const [draft, setDraft] = useState({ name: '', displayName: '', role: 'station' as Role, agencyCode: '' });
  const { run, view } = useAction();
  const load = () => api<UserBody[]>('/api/users').then(setUsers);
  useEffect(() => void load(), []);
  const add = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const made = await api<UserCreatedBody>('/api/users', { method: 'POST', body: grantBody(draft) });
      setDraft({ name: '', displayName: '', role: draft.role, agencyCode: draft.agencyCode });
      await load();
      return made.password ? t('newPasswordShown', { user: made.user.name, password: made.password }) : t('saved');
    });
  };
  const change = (user: UserBody, body: Record<string, unknown>) =>
    run(async () => {
      await api(`/api/users/${encodeURIComponent(user.name)}`, { method: 'PATCH', body });
      await load();
      return t('saved');
    });
  const resetPassword = (user: UserBody) =>
    run(async () => {
      const { password } = await api<NewPasswordBody>(`/api/users/${encodeURIComponent(user.name)}/password`, { method: 'POST' });
      return t('newPasswordShown', { user: user.name, password });
    });
  return (
    <section>
      {view}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('userName')}</th>
            <th scope="col">{t('displayName')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('agencyCode')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.name} data-user={u.name}>
              <td>{u.name}</td>
              <td>{u.displayName}</td>
              <td>{t(ROLE_LABEL[u.role])}</td>
              <td>{u.agencyCode ?? '—'}</td>
              <td title={dateTime(u.createdAt)}>{t(u.disabled ? 'disabled' : 'active')}</td>
              <td class="actions">
                <button type="button" onClick={() => change(u, { disabled: !u.disabled })}>
                  {t(u.disabled ? 'enable' : 'disable')}
                </button>
                <button type="button" onClick={() => resetPassword(u)}>
                  {t('resetPassword')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card grid" onSubmit={add}>
        <h3>{t('addUser')}</h3>
        <label>
          {t('userName')}
          <input
            name="name"
            required
            pattern="[a-z0-9][a-z0-9._@\-]{1,63}"
            value={draft.name}
            onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
        </label>
        <label>
          {t('displayName')}
          <input name="displayName" value={draft.displayName} onInput={(e) => setDraft({ ...draft, displayName: e.currentTarget.value })} />
        </label>
        <GrantFields value={draft} onChange={(grant) => setDraft({ ...draft, ...grant })} />
        <button type="submit" class="primary">
          {t('addUser')}
        </button>
      </form>
    </section>
  );
}

function Tokens() {
  const { t, dateTime } = useI18n();
  const [tokens, setTokens] = useState<TokenBody[]>([]);
  const [draft, setDraft] = useState({ name: '', role: 'station' as Role, agencyCode: '' });
  const [issued, setIssued] = useState('');
  const { run, view } = useAction();
  const load = () => api<TokenBody[]>('/api/tokens').then(setTokens);
  useEffect(() => void load(), []);
  const issue = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const made = await api<TokenIssuedBody>('/api/tokens', { method: 'POST', body: grantBody(draft) });
      setIssued(made.token);
      await load();
      return undefined;
    });
  };
  const revoke = (token: TokenBody) =>
    run(async () => {
      await api(`/api/tokens/${token.id}`, { method: 'DELETE' });
      await load();
      return t('saved');
    });
  return (
    <section>
      {view}
      {issued && (
        <p class="notice ok">
          {t('tokenShown')} <code class="secret">{issued}</code>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('agencyCode')}</th>
            <th scope="col">{t('lastUsed')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {tokens.map((k) => (
            <tr key={k.id} class={k.revokedAt ? 'muted' : ''}>
              <td>
                <code>{k.id}</code>
              </td>
              <td>{k.name}</td>
              <td>{t(ROLE_LABEL[k.role])}</td>
              <td>{k.agencyCode ?? '—'}</td>
              <td>{k.lastUsedAt ? dateTime(k.lastUsedAt) : t('never')}</td>
              <td>
                {k.revokedAt ? (
                  t('revoked')
                ) : (
                  <button type="button" onClick={() => revoke(k)}>
                    {t('revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card grid" onSubmit={issue}>
        <h3>{t('issueToken')}</h3>
        <label>
          {t('name')}
          <input name="name" required value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        </label>
        <GrantFields value={draft} onChange={(grant) => setDraft({ ...draft, ...grant })} />
        <button type="submit" class="primary">
          {t('issueToken')}
        </button>
      </form>
    </section>
  );
}

function Thresholds() {
  const { t } = useI18n();
  const [values, setValues] = useState<ThresholdsBody | null>(null);
  const { run, view } = useAction();
  useEffect(() => void api<ThresholdsBody>('/api/settings/thresholds').then(setValues), []);
  if (!values) return <p>{t('loading')}</p>;
  const save = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setValues(await api('/api/settings/thresholds', { method: 'PUT', body: values }));
      return t('saved');
    });
  };
  return (
    <form class="card grid" onSubmit={save}>
      {view}
      <label>
        {t('warnThreshold')}
        <input
          name="warn"
          type="number"
          min={0}
          max={100}
          step={0.01}
          value={values.warn}
          onInput={(e) => setValues({ ...values, warn: Number(e.currentTarget.value) })}
        />
      </label>
      <label>
        {t('targetThreshold')}
        <input
          name="target"
          type="number"
          min={0}
          max={100}
          step={0.01}
          value={values.target}
          onInput={(e) => setValues({ ...values, target: Number(e.currentTarget.value) })}
        />
      </label>
      <button type="submit" class="primary">
        {t('save')}
      </button>
    </form>
  );
}

type RegisterTable = 'dossiers' | 'units' | 'procedures';

const REGISTER_TABLES: [RegisterTable, MessageKey][] = [
  ['dossiers', 'tableDossiers'],
  ['units', 'tableUnits'],
  ['procedures', 'tableProcedures'],
];

function RegisterImport() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<RegisterTable>('dossiers');
  const [result, setResult] = useState<RegisterBody | null>(null);
  const { run, view } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    if (!file) return;
    run(async () => {
      const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.json$/i.test(file.name) ? 'json' : 'csv';
      try {
        setResult(
          await api<RegisterBody>(`/api/register${query({ source: file.name, format, table })}`, {
            method: 'POST',
            raw: file,
            contentType: 'application/octet-stream',
          }),
        );
      } catch (err) {
        const body = err instanceof ApiError ? (err.body as Partial<RegisterBody> | undefined) : undefined;
        if (body?.errors)
          setResult({ table, key: null, source: file.name, rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: body.errors });
        throw err;
      }
      return undefined;
    });
  };
  return (
    <form class="card" onSubmit={submit}>
      <h3>{t('registerImport')}</h3>
      {view}
      <label>
        {t('registerTable')}
        <select name="table" value={table} onChange={(e) => setTable(e.currentTarget.value as RegisterTable)}>
          {REGISTER_TABLES.map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <input
        type="file"
        name="register"
        accept=".csv,.json,.xlsx,text/csv,application/json"
        onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
      />
      <button type="submit" class="primary" disabled={!file}>
        {t('importFile')}
      </button>
      {result && (
        <>
          <p class="notice ok">
            {t('imported', {
              rows: result.rows,
              inserted: result.inserted,
              updated: result.updated,
              unchanged: result.unchanged,
              rejected: result.errors.length,
            })}
          </p>
          <ul class="errors">
            {result.errors.map((e) => (
              <li key={e.line}>
                {t('line', { n: e.line })}: {e.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </form>
  );
}

function Audit() {
  const { t, dateTime } = useI18n();
  const [filters, setFilters] = useState({ actor: '', action: '', from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const { run, view } = useAction();
  const load = () =>
    run(async () => {
      setEntries(await api<AuditEntry[]>(`/api/audit${query({ ...filters, limit: 200 })}`));
      return undefined;
    });
  useEffect(() => void load(), []);
  const field = (name: keyof typeof filters, label: string, type = 'text') => (
    <label>
      {label}
      <input name={name} type={type} value={filters[name]} onInput={(e) => setFilters({ ...filters, [name]: e.currentTarget.value })} />
    </label>
  );
  return (
    <section>
      <form
        class="card grid"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        {field('actor', t('actor'))}
        {field('action', t('action'))}
        {field('from', t('from'), 'date')}
        {field('to', t('to'), 'date')}
        <button type="submit" class="primary">
          {t('filter')}
        </button>
      </form>
      {view}
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">{t('time')}</th>
            <th scope="col">{t('actor')}</th>
            <th scope="col">{t('action')}</th>
            <th scope="col">{t('target')}</th>
            <th scope="col">{t('details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((a) => (
            <tr key={a.id}>
              <td>{dateTime(a.at)}</td>
              <td>{a.actor}</td>
              <td>{a.action}</td>
              <td>{a.target}</td>
              <td>
                <code>{a.detail === null ? '' : JSON.stringify(a.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AdminPage() {
  const { t } = useI18n();
  const { params } = useLocation();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'users';
  return (
    <div class="admin">
      <h1>{t('navAdmin')}</h1>
      <div class="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={name === tab}
            class={name === tab ? 'active' : ''}
            onClick={() => navigate(`/admin?tab=${name}`, true)}
          >
            {t(TAB_LABEL[name])}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'users' && <Users />}
        {tab === 'tokens' && <Tokens />}
        {tab === 'thresholds' && <Thresholds />}
        {tab === 'register' && <RegisterImport />}
        {tab === 'audit' && <Audit />}
        {tab === 'queues' && (
          <p class="card">
            <a class="button" href="/admin/queues">
              {t('openQueues')}
            </a>
          </p>
        )}
      </div>
    </div>
  );
}
