/** Sign-in: user name and password, the API's session cookie does the rest. */
import { useState } from 'preact/hooks';
import { ApiError, api, type Me } from '../api.js';
import { PasswordField } from '../fields.js';
import { useI18n } from '../i18n.js';

export function LoginPage({ onSignedIn, onLang }: { onSignedIn: (me: Me) => void; onLang: () => void }) {
  const { t } = useI18n();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await api<Me>('/api/session', { method: 'POST', body: { user, password } }));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('tooManyTries') : t('signInFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login">
      <form class="card" onSubmit={submit}>
        <h1>Sohoa · {t('appName')}</h1>
        <label>
          {t('userName')}
          <input name="user" autocomplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>
        <PasswordField label="password" name="password" current value={password} onInput={setPassword} />
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn')}
        </button>
        <button type="button" class="link" onClick={onLang}>
          {t('language')}
        </button>
      </form>
    </main>
  );
}
