/** Form fields more than one page asks for. */
import type { MessageKey } from './i18n.js';
import { useI18n } from './i18n.js';

/** A password box; `current` asks the browser for the saved one, otherwise for a new one of at least ten characters. */
export function PasswordField(props: {
  label: MessageKey;
  name: string;
  current?: boolean;
  value: string;
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {t(props.label)}
      <input
        name={props.name}
        type="password"
        autocomplete={props.current ? 'current-password' : 'new-password'}
        required
        minLength={props.current ? undefined : 10}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
