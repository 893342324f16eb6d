/** The web app: who is signed in, the page the address names, the frame around it. */
import './app.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, type Me, setCsrfToken } from './api.js';
import { I18nContext, type Lang, type MessageKey, makeI18n, storedLang, storeLang, useI18n } from './i18n.js';
import { AccountPage } from './pages/account.js';
import { AdminPage } from './pages/admin.js';
import { DossierPage } from './pages/dossier.js';
import { LoginPage } from './pages/login.js';
import { ReformPage } from './pages/reform.js';
import { SearchPage } from './pages/search.js';
import { StationPage } from './pages/station.js';
import { ViewerPage } from './pages/viewer.js';
import { Link, navigate, useLocation } from './router.js';

type Role = Me['role'];

interface NavItem {
  path: string;
  label: MessageKey;
  roles: Role[];
}

const NAV: NavItem[] = [
  { path: '/station', label: 'navStation', roles: ['station', 'admin'] },
  { path: '/search', label: 'navSearch', roles: ['archivist', 'admin'] },
  { path: '/reform', label: 'navReform', roles: ['reform', 'admin'] },
  { path: '/admin', label: 'navAdmin', roles: ['admin'] },
];

const HOME: Record<Role, string> = { station: '/station', archivist: '/search', reform: '/reform', admin: '/admin' };
const ROLE_LABEL: Record<Role, MessageKey> = {
  station: 'roleStation',
  archivist: 'roleArchivist',
  reform: 'roleReform',
  admin: 'roleAdmin',
};

function Page({ me, path, onChanged }: { me: Me; path: string; onChanged: (me: Me) => void }) {
  const { t } = useI18n();
  const allowed = (roles: Role[]) => me.role === 'admin' || roles.includes(me.role);
  const dossier = /^\/dossiers\/([^/]+)$/.exec(path);
  const viewer = /^\/viewer\/([^/]+)\/(\d+)$/.exec(path);
  const item = NAV.find((n) => n.path === path);
  const home = path === '/' || path === '/login';
  useEffect(() => {
    if (home) navigate(HOME[me.role], true);
  }, [home, me.role]);
  if (home) return null;
  if (item && !allowed(item.roles)) return <p class="notice error">{t('forbidden')}</p>;
  if (path === '/station') return <StationPage me={me} />;
  if (path === '/search') return <SearchPage />;
  if (path === '/reform') return <ReformPage me={me} />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/account') return <AccountPage onChanged={onChanged} />;
  if (dossier && allowed(['station', 'archivist']))
    return <DossierPage code={decodeURIComponent(dossier[1]!)} canWithdraw={me.role === 'admin'} />;
  if (viewer && allowed(['station', 'archivist'])) return <ViewerPage code={decodeURIComponent(viewer[1]!)} number={Number(viewer[2])} />;
  if (dossier || viewer) return <p class="notice error">{t('forbidden')}</p>;
  return <p class="notice">{t('notFound')}</p>;
}

function Frame({ me, onSignOut, onLang, onChanged }: { me: Me; onSignOut: () => void; onLang: () => void; onChanged: (me: Me) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { path } = useLocation();
  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header class="top">
        <Link href={HOME[me.role]} class="brand">
          Sohoa · {t('appName')}
        </Link>
        <nav aria-label={t('appName')}>
          {NAV.filter((n) => me.role === 'admin' || n.roles.includes(me.role)).map((n) => (
            <Link key={n.path} href={n.path} class={path.startsWith(n.path) ? 'active' : ''}>
              {t(n.label)}
            </Link>
          ))}
        </nav>
        <div class="who">
          <Link href="/account" title={t('account')}>
            {me.displayName} · {t(ROLE_LABEL[me.role])}
            {me.agencyCode ? ` · ${me.agencyCode}` : ''}
          </Link>
          <button type="button" class="link" onClick={onLang} lang={i18n.lang === 'vi' ? 'en' : 'vi'}>
            {t('language')}
          </button>
          <button type="button" class="link" onClick={onSignOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page me={me} path={path} onChanged={onChanged} />
      </main>
    </>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(storedLang());
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [failure, setFailure] = useState('');
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    api<Me>('/api/session').then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setMe(session);
      },
      // Not signed in: the sign-in page. The server unreachable or failing: say so, not "sign in".
      (err: unknown) => (err instanceof ApiError && err.status === 401 ? setMe(null) : setFailure(String((err as Error).message ?? err))),
    );
  }, []);
  const toggleLang = () => {
    const next = lang === 'vi' ? 'en' : 'vi';
    storeLang(next);
    setLang(next);
  };
  const signedIn = (session: Me) => {
    setCsrfToken(session.csrfToken);
    setMe(session);
    navigate(HOME[session.role], true);
  };
  const signOut = async () => {
    try {
      await api('/api/session', { method: 'DELETE' });
    } catch (err) {
      // Still signed in as far as the server knows (a 401 means already out): stay, and say why.
      if (!(err instanceof ApiError && err.status === 401)) {
        setFailure(String((err as Error).message ?? err));
        return;
      }
    }
    setFailure('');
    setMe(null);
    navigate('/login', true);
  };
  const changed = (session: Me) => {
    setCsrfToken(session.csrfToken);
    setMe(session);
  };
  return (
    <I18nContext.Provider value={i18n}>
      {failure && (
        <p class="notice error" role="alert">
          {i18n.t('error')}: {failure}
        </p>
      )}
      {me === undefined ? (
        !failure && <p class="notice">{i18n.t('loading')}</p>
      ) : me === null ? (
        <LoginPage onSignedIn={signedIn} onLang={toggleLang} />
      ) : (
        <Frame me={me} onSignOut={signOut} onLang={toggleLang} onChanged={changed} />
      )}
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
