/** A person's own account: who they are, and their password, changed with the current one. */
import { useState } from 'preact/hooks';
import { ApiError, api, type Me } from '../api.js';
import { PasswordField } from '../fields.js';
import { useI18n } from '../i18n.js';

export function AccountPage({ onChanged }: { onChanged: (me: Me) => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== again) {
      setMessage({ text: t('passwordsDiffer'), error: true });
      return;
    }
    try {
      onChanged(await api<Me>('/api/session/password', { method: 'PUT', body: { current, password } }));
      setCurrent('');
      setPassword('');
      setAgain('');
      setMessage({ text: t('passwordChanged'), error: false });
    } catch (err) {
      setMessage({ text: err instanceof ApiError ? err.message : String(err), error: true });
    }
  };
  return (
    <form class="card grid account" onSubmit={submit}>
      <h1>{t('changePassword')}</h1>
      {message && (
        <p class={`notice ${message.error ? 'error' : 'ok'}`} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <PasswordField label="currentPassword" name="current" current value={current} onInput={setCurrent} />
      <PasswordField label="newPassword" name="password" value={password} onInput={setPassword} />
      <PasswordField label="repeatPassword" name="again" value={again} onInput={setAgain} />
      <button type="submit" class="primary">
        {t('changePassword')}
      </button>
    </form>
  );
}
