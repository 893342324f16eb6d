/** The web app: who is signed in, the page the address names, the frame around it. */
import './app.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, type Me, setCsrfToken } from './api.js';
import { I18nContext, type Lang, type MessageKey, makeI18n, storedLang, storeLang, useI18n } from './i18n.js';
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

function Page({ me, path }: { me: Me; path: string }) {
  const { t } = useI18n();
  const allowed = (roles: Role[]) => me.role === 'admin' || roles.includes(me.role);
  const dossier = /^\/dossiers\/([^/]+)$/.exec(path);
  const viewer = /^\/viewer\/([^/]+)\/(\d+)$/.exec(path);
  const item = NAV.find((n) => n.path === path);
  if (path === '/' || path === '/login') {
    navigate(HOME[me.role], true);
    return null;
  }
  if (item && !allowed(item.roles)) return <p class="notice error">{t('forbidden')}</p>;
  if (path === '/station') return <StationPage me={me} />;
  if (path === '/search') return <SearchPage />;
  if (path === '/reform') return <ReformPage me={me} />;
  if (path === '/admin') return <AdminPage />;
  if (dossier && allowed(['station', 'archivist'])) return <DossierPage code={decodeURIComponent(dossier[1]!)} />;
  if (viewer && allowed(['station', 'archivist'])) return <ViewerPage code={decodeURIComponent(viewer[1]!)} number={Number(viewer[2])} />;
  if (dossier || viewer) return <p class="notice error">{t('forbidden')}</p>;
  return <p class="notice">{t('notFound')}</p>;
}

function Frame({ me, onSignOut, onLang }: { me: Me; onSignOut: () => void; onLang: () => void }) {
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
          <span title={me.user}>
            {me.displayName} · {t(ROLE_LABEL[me.role])}
            {me.agencyCode ? ` · ${me.agencyCode}` : ''}
          </span>
          <button type="button" class="link" onClick={onLang} lang={i18n.lang === 'vi' ? 'en' : 'vi'}>
            {t('language')}
          </button>
          <button type="button" class="link" onClick={onSignOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page me={me} path={path} />
      </main>
    </>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(storedLang());
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    api<Me>('/api/session').then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setMe(session);
      },
      (err: unknown) => (err instanceof ApiError && err.status === 401 ? setMe(null) : setMe(null)),
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
    await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
    setMe(null);
    navigate('/login', true);
  };
  return (
    <I18nContext.Provider value={i18n}>
      {me === undefined ? (
        <p class="notice">{i18n.t('loading')}</p>
      ) : me === null ? (
        <LoginPage onSignedIn={signedIn} onLang={toggleLang} />
      ) : (
        <Frame me={me} onSignOut={signOut} onLang={toggleLang} />
      )}
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
