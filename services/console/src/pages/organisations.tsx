// Organisations: search by name (an organisation number opens it), register one with the
// validator's errors beside the fields; one organisation: its contacts (saved with
// If-Match), its onboarding cases (open a new one), its clients in both environments and
// its test users (allocate, release).
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, query } from '../api';
import { t } from '../i18n';
import { match, navigate, searchParam } from '../router';
import { ErrorBox, Id, Link, Loading, Time, useSubmit } from '../ui';
import { errorsByField } from './clients';
import { Contact, ContactsEditor } from './contacts';
import { PagedTable, RecordHead, usePaged, useRecord } from './records';

interface Organisation {
  orgno: string;
  name: string;
  contacts: Contact[];
  version: number;
  created_at: string;
  updated_at: string;
}

function Create(props: { onCreated: (orgno: string) => void }) {
  const [orgno, setOrgno] = useState('');
  const [name, setName] = useState('');
  const { error, submit } = useSubmit(async () => {
    const o = await post<Organisation>('/v1/organisations', { orgno: orgno.trim(), name: name.trim() });
    props.onCreated(o.orgno);
  }, '#org-create');
  const errors = errorsByField(error);
  const input = (id: string, field: string, label: string, value: string, set: (v: string) => void) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} aria-invalid={errors[field] ? 'true' : undefined} aria-describedby={errors[field] ? `${id}-error` : undefined}
        onInput={(e) => set((e.target as HTMLInputElement).value)} />
      {errors[field] ? <span id={`${id}-error`} class="field-error" data-field-error={field}>{errors[field]}</span> : null}
    </div>
  );
  return (
    <form id="org-create" class="panel" onSubmit={submit} noValidate aria-labelledby="org-create-title">
      <h2 id="org-create-title">{t('org.create')}</h2>
      {input('org-new-orgno', 'orgno', t('org.orgno'), orgno, setOrgno)}
      {input('org-new-name', 'name', t('org.name'), name, setName)}
      <ErrorBox error={error} />
      <div class="actions"><button type="submit">{t('org.create')}</button></div>
    </form>
  );
}

function List() {
  const [q, setQ] = useState(searchParam('q'));
  const paged = usePaged<Organisation>(
    (cursor) => `/v1/organisations${query({ name: q.trim(), limit: 100, cursor })}`,
    () => {
      const text = q.trim();
      if (!/^\d{9}$/.test(text)) return false;
      navigate(`/organisations/${text}`);
      return true;
    },
  );
  return (
    <section aria-labelledby="orgs-title">
      <h1 id="orgs-title">{t('org.title')}</h1>
      <form class="filters" role="search" onSubmit={paged.load}>
        <label>{t('org.search')}<input id="org-q" type="search" size={30} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{t('common.search')}</button>
      </form>
      <PagedTable paged={paged} testid="org-list" head={[t('org.name'), t('org.orgno'), t('org.contacts'), t('org.updated')]} row={(o) => (
        <tr key={o.orgno}>
          <td><Link to={`/organisations/${o.orgno}`}>{o.name}</Link></td>
          <td><Id value={o.orgno} what={t('org.orgno')} /></td>
          <td>{o.contacts.length}</td>
          <td><Time iso={o.updated_at} /></td>
        </tr>
      )} />
      <Create onCreated={(orgno) => navigate(`/organisations/${orgno}`)} />
    </section>
  );
}

function TestUsers(props: { orgno: string }) {
  const [items, setItems] = useState<any[] | null>(null);
  const [count, setCount] = useState('3');
  const [error, setError] = useState<unknown>(null);
  const load = () => get<{ items: any[] }>(`/v1/organisations/${props.orgno}/test-users?include_released=true`).then((r) => setItems(r.items), setError);
  useEffect(() => {
    load();
  }, [props.orgno]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div data-testid="test-users">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); act(() => post(`/v1/organisations/${props.orgno}/test-users`, { count: Number(count) })); }}>
        <label>{t('org.testusers.count')}<input id="testusers-count" type="number" min={1} max={50} size={4} value={count} onInput={(e) => setCount((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{t('org.testusers.allocate')}</button>
      </form>
      <ErrorBox error={error} />
      {!items ? <Loading /> : items.length === 0 ? <p>{t('common.none')}</p> : (
        <div class="scroll">
          <table>
            <thead><tr><th scope="col">pid</th><th scope="col">{t('order.state')}</th><th scope="col">{t('org.testusers.allocated')}</th><th scope="col">{t('org.testusers.released')}</th><th scope="col"><span class="sr-only">{t('org.testusers.release')}</span></th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.pid} data-pid={u.pid} data-state={u.state}>
                  <td><Id value={u.pid} what="pid" /></td>
                  <td>{u.state}</td>
                  <td><Time iso={u.allocated_at} /> <small>{u.allocated_by}</small></td>
                  <td>{u.released_at ? <><Time iso={u.released_at} /> <small>{u.released_by}</small></> : '–'}</td>
                  <td>{u.state === 'active' ? <button type="button" class="secondary" onClick={() => act(() => del(`/v1/organisations/${props.orgno}/test-users/${u.pid}`))}>{t('org.testusers.release')}<span class="sr-only"> {u.pid}</span></button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function NewCase(props: { orgno: string }) {
  const [name, setName] = useState('');
  const { error, submit } = useSubmit(async () => {
    const c = await post<{ id: string }>('/v1/onboardings', { organisation: props.orgno, service_name: name.trim() });
    navigate(`/onboardings/${c.id}`);
  });
  const err = errorsByField(error).service_name;
  return (
    <form class="filters" onSubmit={submit} noValidate>
      <label for="case-service">{t('case.service')}</label>
      <input id="case-service" size={30} value={name} aria-invalid={err ? 'true' : undefined} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <button type="submit">{t('case.open')}</button>
      {err ? <span class="field-error" data-field-error="service_name">{err}</span> : <ErrorBox error={error} />}
    </form>
  );
}

function ClientsTable(props: { items: any[] }) {
  if (props.items.length === 0) return <p>{t('common.none')}</p>;
  return (
    <div class="scroll">
      <table>
        <thead><tr><th scope="col">client_name</th><th scope="col">integration_type</th><th scope="col">state</th><th scope="col">client_id</th></tr></thead>
        <tbody>
          {props.items.map((c) => (
            <tr key={c.client_id}>
              <td><Link to={`/clients/${c.client_id}`}>{c.client_name}</Link></td>
              <td>{c.integration_type}</td><td>{c.state}</td><td><Id value={c.client_id} what="client_id" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OrganisationPage(props: { orgno: string }) {
  const [cases, setCases] = useState<any[] | null>(null);
  const [clients, setClients] = useState<any[] | null>(null);
  const rec = useRecord<Organisation>(`/v1/organisations/${props.orgno}`, () => {
    get<{ items: any[] }>(`/v1/onboardings?organisation=${props.orgno}&limit=100`).then((r) => setCases(r.items), rec.setError);
    get<{ items: any[] }>(`/v1/clients?organisation=${props.orgno}&limit=200`).then((r) => setClients(r.items), rec.setError);
  });
  const org = rec.record;
  if (!org) return rec.error ? <ErrorBox error={rec.error} /> : <Loading />;
  return (
    <section aria-labelledby="org-title">
      <RecordHead back="/organisations" backLabel={t('org.title')} titleId="org-title" title={<>{t('support.organisation')}: {org.name}</>}>
        <dt>{t('org.orgno')}</dt><dd><Id value={org.orgno} what={t('org.orgno')} /></dd>
        <dt>version</dt><dd>{org.version}</dd>
        <dt>{t('org.updated')}</dt><dd><Time iso={org.updated_at} /></dd>
      </RecordHead>
      <ErrorBox error={rec.error} />
      <h2 id="org-contacts">{t('org.contacts')}</h2>
      <ContactsEditor idPrefix="org-contact" contacts={org.contacts} save={(contacts) => rec.patch({ contacts })} />
      <h2>{t('org.cases')}</h2>
      {!cases ? <Loading /> : cases.length === 0 ? <p>{t('common.none')}</p> : (
        <ul data-testid="org-cases">
          {cases.map((c) => <li key={c.id}><Link to={`/onboardings/${c.id}`}>{c.service_name}</Link> · {t(`case.state.${c.state}` as any)} · <Time iso={c.created_at} /></li>)}
        </ul>
      )}
      <NewCase orgno={org.orgno} />
      <h2>{t('org.clients.test')}</h2>
      {!clients ? <Loading /> : <div data-testid="org-clients-test"><ClientsTable items={clients.filter((c) => c.environment === 'test')} /></div>}
      <h2>{t('org.clients.production')}</h2>
      {!clients ? <Loading /> : <div data-testid="org-clients-production"><ClientsTable items={clients.filter((c) => c.environment === 'production')} /></div>}
      <h2>{t('org.testusers')}</h2>
      <TestUsers orgno={org.orgno} />
    </section>
  );
}

export function Organisations(props: { path: string }) {
  const m = match('/organisations/:orgno', props.path);
  if (m) return <OrganisationPage orgno={m.orgno} />;
  return <List />;
}
