// The operator console: sign-in, the shell (menu, language, sign-out) and the routes.
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, Session, signIn, SignInMethod, signInMethods, signOut, whenSignedOut } from './api';
import { lang, setLang, t } from './i18n';
import { BASE, currentPath, match, navigate, onNavigate } from './router';
import { ErrorBox, Link, Loading, useSubmit } from './ui';
import { Queue } from './pages/queue';
import { Order } from './pages/order';
import { Support } from './pages/support';
import { Tokens } from './pages/tokens';
import { Audit } from './pages/audit';
import { Clients } from './pages/clients';
import { Organisations } from './pages/organisations';
import { Onboardings } from './pages/onboardings';

function TokenForm(props: { onSignedIn: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    let s: Session;
    try {
      s = await signIn(token.trim());
    } catch (err) {
      throw err instanceof ApiError ? new ApiError(err.status, { ...err.problem, title: t('signin.failed') }) : err;
    }
    setToken('');
    props.onSignedIn(s);
  });
  return (
    <>
      <form onSubmit={submit}>
        <label for="token">{t('signin.token')}</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token}
          aria-describedby="token-hint" onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <p id="token-hint" class="hint">{t('signin.token.hint')}</p>
        <button type="submit" disabled={busy}>{t('signin.submit')}</button>
      </form>
      <ErrorBox error={error} />
    </>
  );
}

// The sign-in page offers what GET /v1/sessions/methods names, in its order: "Sign in with
// <provider>" (single sign-on) and/or the personal token form. If the methods cannot be read,
// the token form is shown so that an operator is never locked out by the page itself.
function SignIn(props: { onSignedIn: (s: Session) => void }) {
  const [methods, setMethods] = useState<SignInMethod[] | undefined>(undefined);
  useEffect(() => {
    signInMethods().then(
      (m) => setMethods(m.length ? m : [{ method: 'token' }]),
      () => setMethods([{ method: 'token' }]),
    );
  }, []);
  if (methods === undefined) return <main id="main" class="signin"><Loading /></main>;
  const sso = methods.filter((m) => m.method === 'oidc' && m.start_url);
  const token = methods.some((m) => m.method === 'token');
  return (
    <main id="main" class="signin">
      <h1>{t('signin.title')}</h1>
      {sso.map((m) => (
        <p key={m.start_url}>
          <a class="button sso" href={`${m.start_url}?return_to=${encodeURIComponent(`${BASE}/`)}`}>
            {t('signin.oidc', { provider: m.provider_name || m.issuer || 'OpenID Connect' })}
          </a>
        </p>
      ))}
      {token && sso.length > 0 && <p class="hint">{t('signin.or')}</p>}
      {token && <TokenForm onSignedIn={props.onSignedIn} />}
    </main>
  );
}

// The pages the menu offers (orders open from the work queue and the cases).
const OPERATOR_NAV: [string, Parameters<typeof t>[0]][] = [
  ['/queue', 'nav.queue'],
  ['/support', 'nav.support'],
  ['/organisations', 'nav.organisations'],
  ['/clients', 'nav.clients'],
  ['/onboardings', 'nav.onboardings'],
  ['/audit', 'nav.audit'],
  ['/tokens', 'nav.tokens'],
];
const AUDITOR_NAV: typeof OPERATOR_NAV = [['/audit', 'nav.audit']];

function Page(props: { path: string; session: Session }) {
  const { path, session } = props;
  const operator = session.role === 'operator';
  if (!operator && !path.startsWith('/audit')) return <Audit session={session} />;
  let m;
  if (path === '/' || path === '/queue') return <Queue />;
  if ((m = match('/orders/:id', path))) return <Order id={m.id} session={session} />;
  if (path === '/support') return <Support />;
  if (path === '/clients' || path.startsWith('/clients/')) return <Clients path={path} />;
  if (path === '/organisations' || path.startsWith('/organisations/')) return <Organisations path={path} />;
  if (path === '/onboardings' || path.startsWith('/onboardings/')) return <Onboardings path={path} />;
  if (path === '/tokens') return <Tokens />;
  if (path === '/audit') return <Audit session={session} />;
  return <p>{t('common.notfound')}</p>;
}

function Shell(props: { session: Session; onSignedOut: () => void }) {
  const [path, setPath] = useState(currentPath());
  useEffect(() => onNavigate(() => setPath(currentPath())), []);
  const nav = props.session.role === 'operator' ? OPERATOR_NAV : AUDITOR_NAV;
  const out = async () => {
    let endSession = '';
    try {
      endSession = await signOut();
    } finally {
      // RP-initiated logout: the provider ends its own session and sends the browser back.
      if (endSession) location.assign(endSession);
      else props.onSignedOut();
    }
  };
  return (
    <>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {nav.map(([to, key]) => (
              <li key={to}>
                <Link to={to} class={path.startsWith(to) || (to === '/queue' && path === '/') ? 'active' : ''}>{t(key)}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">{t('signedin.as', { name: props.session.display_name || props.session.actor, role: t(props.session.role === 'operator' ? 'role.operator' : 'role.auditor') })}</span>
        <button type="button" class="signout" onClick={out}>{t('signout')}</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} session={props.session} />
      </main>
    </>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [, setLangState] = useState(lang());
  useEffect(() => {
    document.documentElement.lang = lang();
    whenSignedOut(() => setSession(null));
    currentSession().then(setSession, setError);
  }, []);
  useEffect(() => {
    document.title = t('app.title');
    if (session === null && currentPath() !== '/signin') navigate('/signin', true);
    if (session && currentPath() === '/signin') navigate('/', true);
  }, [session]);
  const switchLang = () => {
    const next = lang() === 'nb' ? 'en' : 'nb';
    setLang(next);
    setLangState(next);
    document.title = t('app.title');
  };
  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <div class="langbar">
        <button type="button" class="lang" lang={lang() === 'nb' ? 'en' : 'nb'} onClick={switchLang} aria-label={t('lang.switch.label')}>
          {t('lang.switch')}
        </button>
      </div>
      <ErrorBox error={error} />
      {session === undefined ? <Loading /> : session === null ? <SignIn onSignedIn={setSession} /> : <Shell session={session} onSignedOut={() => setSession(null)} />}
    </>
  );
}

render(<App />, document.getElementById('app')!);
