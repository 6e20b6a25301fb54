// Clients: the list with filters; register a test client on request (mail or web form)
// with the validator's errors beside each field; one client: edit with If-Match (a 412
// says who changed it and when, and offers a reload), deactivate and reactivate, record
// a verification run.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, FieldError, get, post, query, request } from '../api';
import { t } from '../i18n';
import { match, navigate } from '../router';
import { ErrorBox, Id, Link, Loading, Time, useSubmit } from '../ui';

const INTEGRATION_TYPES = ['idporten', 'ansattporten', 'api_klient', 'maskinporten', 'krr', 'eformidling'];
const APPLICATION_TYPES = ['web', 'browser', 'native'];
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/// The field a validator error's path names: "/redirect_uris/0", "redirect_uris[0]".
function fieldOf(path: string): string {
  return path.replace(/^\//, '').split(/[/.[]/)[0];
}

export function errorsByField(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const f of e.fieldErrors as FieldError[]) {
    const k = fieldOf(f.path || '');
    out[k] = [out[k], `${f.message || f.detail || f.code}${f.path && f.path !== k && f.path !== `/${k}` ? ` (${f.path})` : ''}`].filter(Boolean).join('; ');
  }
  return out;
}

type Form = Record<string, string>;
const LISTS = ['redirect_uris', 'post_logout_redirect_uris'];

function toBody(form: Form): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) {
    if (k === 'scopes') body[k] = v.split(/\s+/).filter(Boolean);
    else if (LISTS.includes(k)) body[k] = v.split(/\n/).map((x) => x.trim()).filter(Boolean);
    else if (v !== '') body[k] = v;
  }
  return body;
}

function Field(props: { name: string; label: string; form: Form; set: (f: Form) => void; errors: Record<string, string>; type?: 'text' | 'area' | string[]; hint?: string }) {
  const { name, form, errors } = props;
  const id = `f-${name}`;
  const err = errors[name];
  const common = {
    id,
    name,
    value: form[name] || '',
    'aria-invalid': err ? ('true' as const) : undefined,
    'aria-describedby': err ? `${id}-error` : undefined,
    onInput: (e: Event) => props.set({ ...form, [name]: (e.target as HTMLInputElement).value }),
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {Array.isArray(props.type) ? (
        <select {...common} onChange={common.onInput}>{props.type.map((o) => <option key={o} value={o}>{o}</option>)}</select>
      ) : props.type === 'area' ? <textarea rows={3} cols={60} {...common} /> : <input type="text" size={50} {...common} />}
      {props.hint ? <small class="hint">{props.hint}</small> : null}
      {err ? <span id={`${id}-error`} class="field-error" data-field-error={name}>{err}</span> : null}
    </div>
  );
}

function Register() {
  const [form, setForm] = useState<Form>({
    registration_channel: 'mail', client_name: '', client_orgno: '', integration_type: 'idporten', application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic', scopes: 'openid profile', redirect_uris: '', post_logout_redirect_uris: '', frontchannel_logout_uri: '', description: '',
  });
  const { error, busy, submit } = useSubmit(async () => {
    const c = await post<{ client_id: string }>('/v1/clients', { environment: 'test', ...toBody(form) });
    navigate(`/clients/${c.client_id}`);
  }, '');
  const errors = errorsByField(error);
  const f = { form, set: setForm, errors };
  return (
    <section aria-labelledby="register-title">
      <p><Link to="/clients">← {t('clients.title')}</Link></p>
      <h1 id="register-title">{t('clients.register')}</h1>
      <form onSubmit={submit} noValidate>
        <Field name="registration_channel" label={t('clients.channel')} type={['mail', 'web_form', 'operator']} {...f} />
        <Field name="client_name" label="client_name" {...f} />
        <Field name="client_orgno" label={`client_orgno (${t('clients.orgno')})`} {...f} />
        <Field name="integration_type" label="integration_type" type={INTEGRATION_TYPES} {...f} />
        <Field name="application_type" label="application_type" type={APPLICATION_TYPES} {...f} />
        <Field name="token_endpoint_auth_method" label="token_endpoint_auth_method" type={AUTH_METHODS} {...f} />
        <Field name="scopes" label="scopes" hint={t('clients.scopes.hint')} {...f} />
        <Field name="redirect_uris" label="redirect_uris" type="area" hint={t('clients.lines.hint')} {...f} />
        <Field name="post_logout_redirect_uris" label="post_logout_redirect_uris" type="area" hint={t('clients.lines.hint')} {...f} />
        <Field name="frontchannel_logout_uri" label="frontchannel_logout_uri" {...f} />
        <Field name="description" label="description" type="area" {...f} />
        <ErrorBox error={error} />
        <div class="actions"><button type="submit" disabled={busy}>{t('clients.register')}</button></div>
      </form>
    </section>
  );
}

const EDITABLE = ['client_name', 'description', 'redirect_uris', 'post_logout_redirect_uris', 'frontchannel_logout_uri', 'scopes'];

function formOf(c: Record<string, any>): Form {
  const f: Form = {};
  for (const k of EDITABLE) f[k] = Array.isArray(c[k]) ? c[k].join(k === 'scopes' ? ' ' : '\n') : c[k] ?? '';
  return f;
}

function RecordRun(props: { clientId: string; onDone: () => void }) {
  const [catalogue, setCatalogue] = useState<{ id: number; title: string; mandatory: boolean }[] | null>(null);
  const [outcomes, setOutcomes] = useState<Record<number, string>>({});
  const [tester, setTester] = useState('');
  const [done, setDone] = useState('');
  const { error, setError, submit } = useSubmit(async () => {
    const results = Object.entries(outcomes).filter(([, o]) => o).map(([id, outcome]) => ({ case_id: Number(id), outcome }));
    const run = await post<{ id: string; complete: boolean }>(`/v1/clients/${props.clientId}/verification-runs`, { tester, tested_at: new Date().toISOString(), results });
    setDone(`${t('clients.run.recorded')} ${run.complete ? '✓' : '✗'}`);
    props.onDone();
  });
  useEffect(() => {
    get<{ cases: any[] }>('/v1/verification-catalogue').then((c) => setCatalogue(c.cases), setError);
  }, []);
  if (!catalogue) return error ? <ErrorBox error={error} /> : <Loading />;
  return (
    <form onSubmit={submit} class="panel" aria-labelledby="run-title" noValidate>
      <h2 id="run-title">{t('clients.run.title')}</h2>
      <label for="run-tester">{t('clients.run.tester')}</label>
      <input id="run-tester" value={tester} onInput={(e) => setTester((e.target as HTMLInputElement).value)} />
      <table>
        <thead><tr><th scope="col">#</th><th scope="col">{t('clients.run.case')}</th><th scope="col">{t('clients.run.outcome')}</th></tr></thead>
        <tbody>
          {catalogue.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td><label for={`case-${c.id}`}>{c.title}</label>{c.mandatory ? <small> ({t('clients.run.mandatory')})</small> : null}</td>
              <td>
                <select id={`case-${c.id}`} data-case={c.id} value={outcomes[c.id] || ''} onChange={(e) => setOutcomes({ ...outcomes, [c.id]: (e.target as HTMLSelectElement).value })}>
                  <option value="">–</option><option value="passed">passed</option><option value="failed">failed</option><option value="not_applicable">not_applicable</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox error={error} />
      {done ? <p class="notice" role="status">{done}</p> : null}
      <div class="actions"><button type="submit">{t('clients.run.save')}</button></div>
    </form>
  );
}

function ClientPage(props: { id: string }) {
  const [client, setClient] = useState<Record<string, any> | null>(null);
  const [etag, setEtag] = useState('');
  const [form, setForm] = useState<Form>({});
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState('');
  const [notice, setNotice] = useState('');
  const [runs, setRuns] = useState<any[]>([]);
  const load = async () => {
    setError(null);
    setConflict('');
    try {
      const a = await request<Record<string, any>>('GET', `/v1/clients/${props.id}`);
      setClient(a.body);
      setEtag(a.etag);
      setForm(formOf(a.body));
      get<{ items: any[] }>(`/v1/clients/${props.id}/verification-runs`).then((r) => setRuns(r.items), () => {});
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [props.id]);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice('');
    try {
      const body = toBody(form);
      for (const k of EDITABLE) if (!(k in body)) body[k] = LISTS.includes(k) || k === 'scopes' ? [] : null;
      const a = await request<Record<string, any>>('PATCH', `/v1/clients/${props.id}`, body, { 'If-Match': etag, 'Content-Type': 'application/merge-patch+json' });
      setClient(a.body);
      setEtag(a.etag);
      setForm(formOf(a.body));
      setNotice(t('clients.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        // Who changed it and when: the newest entry of the client's history.
        const h = await get<{ items: { version: number; actor: string; portal_user?: string; changed_at: string }[] }>(`/v1/clients/${props.id}/history`).catch(() => null);
        const last = h?.items?.reduce((a, b) => (a.version > b.version ? a : b));
        setConflict(last ? t('clients.conflict', { who: last.portal_user ? `${last.portal_user} (${last.actor})` : last.actor, when: new Date(last.changed_at).toLocaleString(undefined, { timeZone: 'Europe/Oslo' }), version: last.version }) : err.message);
      } else setError(err);
    }
  };
  const toggle = async () => {
    setError(null);
    try {
      const action = client!.state === 'deactivated' ? 'reactivate' : 'deactivate';
      await post(`/v1/clients/${props.id}/${action}`, {});
      await load();
    } catch (err) {
      setError(err);
    }
  };
  if (!client) return error ? <ErrorBox error={error} /> : <Loading />;
  const errors = errorsByField(error);
  const f = { form, set: setForm, errors };
  return (
    <section aria-labelledby="client-title">
      <p><Link to="/clients">← {t('clients.title')}</Link></p>
      <h1 id="client-title">{t('support.client')}: {String(client.client_name)}</h1>
      <dl class="facts">
        <dt>client_id</dt><dd><Id value={client.client_id} what="client_id" /></dd>
        <dt>{t('support.environment')}</dt><dd>{client.environment}</dd>
        <dt>state</dt><dd data-testid="client-state">{client.state}</dd>
        <dt>client_orgno</dt><dd><Id value={client.client_orgno} what="orgno" /></dd>
        <dt>integration_type</dt><dd>{client.integration_type}</dd>
        <dt>version</dt><dd>{client.version} <small>{etag}</small></dd>
        <dt>updated</dt><dd><Time iso={client.updated_at} /></dd>
      </dl>
      {conflict ? (
        <div class="error" role="alert" data-testid="conflict">
          {conflict} <button type="button" class="secondary" onClick={load}>{t('common.reload')}</button>
        </div>
      ) : null}
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <form onSubmit={save} noValidate>
        <h2>{t('clients.edit')}</h2>
        <Field name="client_name" label="client_name" {...f} />
        <Field name="description" label="description" type="area" {...f} />
        <Field name="scopes" label="scopes" hint={t('clients.scopes.hint')} {...f} />
        <Field name="redirect_uris" label="redirect_uris" type="area" hint={t('clients.lines.hint')} {...f} />
        <Field name="post_logout_redirect_uris" label="post_logout_redirect_uris" type="area" hint={t('clients.lines.hint')} {...f} />
        <Field name="frontchannel_logout_uri" label="frontchannel_logout_uri" {...f} />
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit">{t('common.save')}</button>
          <button type="button" class="secondary" data-testid="toggle-state" onClick={toggle}>{client.state === 'deactivated' ? t('clients.reactivate') : t('clients.deactivate')}</button>
        </div>
      </form>
      <h2>{t('support.runs')}</h2>
      {runs.length ? <ul data-testid="runs">{runs.map((r) => <li key={r.id}><Time iso={r.tested_at} /> · {r.tester} · {r.complete ? '✓' : '✗'}</li>)}</ul> : <p>{t('common.none')}</p>}
      {client.environment === 'test' ? <RecordRun clientId={client.client_id} onDone={load} /> : null}
    </section>
  );
}

function List() {
  const [filters, setFilters] = useState({ environment: '', integration_type: '', state: '', organisation: '', q: '' });
  const [items, setItems] = useState<Record<string, any>[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (e?: Event) => {
    e?.preventDefault();
    setError(null);
    try {
      setItems((await get<{ items: any[] }>(`/v1/clients${query({ ...filters, limit: 200 })}`)).items);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    load();
  }, []);
  const set = (k: string) => (e: Event) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value });
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">{t('clients.title')}</h1>
      <p><Link to="/clients/new" class="button">{t('clients.register')}</Link></p>
      <form class="filters" role="search" onSubmit={load}>
        <label>{t('support.environment')}<select value={filters.environment} onChange={set('environment')}><option value="">{t('queue.filter.all')}</option><option>test</option><option>production</option></select></label>
        <label>integration_type<select value={filters.integration_type} onChange={set('integration_type')}><option value="">{t('queue.filter.all')}</option>{INTEGRATION_TYPES.map((x) => <option key={x}>{x}</option>)}</select></label>
        <label>state<select value={filters.state} onChange={set('state')}><option value="">{t('queue.filter.all')}</option><option>active</option><option>deactivated</option><option>awaiting_credentials</option></select></label>
        <label>{t('queue.col.org')}<input value={filters.organisation} size={10} onInput={set('organisation')} /></label>
        <label>{t('clients.text')}<input type="search" value={filters.q} onInput={set('q')} /></label>
        <button type="submit">{t('common.search')}</button>
      </form>
      <ErrorBox error={error} />
      {!items ? <Loading /> : (
        <div class="scroll">
          <table>
            <thead><tr><th scope="col">client_name</th><th scope="col">{t('support.environment')}</th><th scope="col">integration_type</th><th scope="col">state</th><th scope="col">{t('queue.col.org')}</th><th scope="col">client_id</th></tr></thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.client_id}>
                  <td><Link to={`/clients/${c.client_id}`}>{c.client_name}</Link></td>
                  <td>{c.environment}</td><td>{c.integration_type}</td><td>{c.state}</td><td>{c.client_orgno}</td>
                  <td><Id value={c.client_id} what="client_id" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Clients(props: { path: string }) {
  if (props.path === '/clients/new') return <Register />;
  const m = match('/clients/:id', props.path);
  if (m) return <ClientPage id={m.id} />;
  return <List />;
}
