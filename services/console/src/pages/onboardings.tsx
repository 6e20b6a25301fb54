// Onboarding cases: the list with filters (organisation, state); one case: its planning
// information (saved with If-Match; a 412 says so and offers a reload), contacts, terms
// acceptance (accept a published version), linked test clients (link one of the
// organisation's), its production orders, withdraw and reopen.
import { useEffect, useState } from 'preact/hooks';
import { get, post, query, request } from '../api';
import { t } from '../i18n';
import { match, searchParam } from '../router';
import { ErrorBox, Id, Link, Loading, Time, useSubmit } from '../ui';
import { Contact, ContactsEditor, errorsByPath } from './contacts';
import { PagedTable, RecordHead, usePaged, useRecord } from './records';

const STATES = ['open', 'production_ordered', 'in_production', 'withdrawn'];
const PLANNING = ['schedule', 'production_plan', 'service_description', 'expected_volume', 'high_traffic_periods', 'support_impact'] as const;

interface Case {
  id: string;
  organisation: string;
  service_name: string;
  state: string;
  planning: Record<string, string | null>;
  planning_complete: boolean;
  planning_missing: string[];
  contacts: Contact[];
  test_clients: { client_id: string; client_name: string; state: string; linked_at: string; linked_by: string }[];
  production_client_id: string | null;
  terms_acceptance: { terms_version: string; accepted_at: string; accepted_by: string; accepted_role: string; portal_user?: string | null } | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const stateText = (s: string) => t(`case.state.${s}` as any);

function List() {
  const [filters, setFilters] = useState({ organisation: searchParam('organisation'), state: searchParam('state') });
  const paged = usePaged<Case>((cursor) => `/v1/onboardings${query({ ...filters, limit: 100, cursor })}`);
  const head = [t('case.service'), t('queue.col.org'), t('order.state'), t('case.planning'), t('case.terms'), t('case.clients'), t('case.created')];
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('case.title')}</h1>
      <form class="filters" role="search" onSubmit={paged.load}>
        <label>{t('queue.col.org')}<input id="cases-org" size={10} value={filters.organisation} onInput={(e) => setFilters({ ...filters, organisation: (e.target as HTMLInputElement).value.trim() })} /></label>
        <label>{t('order.state')}<select id="cases-state" value={filters.state} onChange={(e) => setFilters({ ...filters, state: (e.target as HTMLSelectElement).value })}>
          <option value="">{t('queue.filter.all')}</option>{STATES.map((s) => <option key={s} value={s}>{stateText(s)}</option>)}
        </select></label>
        <button type="submit">{t('common.search')}</button>
      </form>
      <p class="meta">{t('case.new.hint')} <Link to="/organisations">{t('org.title')}</Link></p>
      <PagedTable paged={paged} testid="case-list" head={head} row={(c) => (
        <tr key={c.id} data-case={c.id}>
          <td><Link to={`/onboardings/${c.id}`}>{c.service_name}</Link></td>
          <td><Link to={`/organisations/${c.organisation}`}>{c.organisation}</Link></td>
          <td>{stateText(c.state)}</td>
          <td>{c.planning_complete ? <span class="ok">✓</span> : <span class="bad">✗ {c.planning_missing.length}</span>}</td>
          <td>{c.terms_acceptance ? c.terms_acceptance.terms_version : <span class="bad">✗</span>}</td>
          <td>{c.test_clients.length}</td>
          <td><Time iso={c.created_at} /> <small>{c.created_by}</small></td>
        </tr>
      )} />
    </section>
  );
}

function Planning(props: { c: Case; save: (body: Record<string, unknown>) => Promise<void> }) {
  const [form, setForm] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  const { error, setError, submit } = useSubmit(async () => {
    setNotice('');
    await props.save({ planning: Object.fromEntries(PLANNING.map((k) => [k, form[k].trim() ? form[k] : null])) });
    setNotice(t('clients.saved'));
  });
  useEffect(() => {
    setForm(Object.fromEntries(PLANNING.map((k) => [k, props.c.planning?.[k] || ''])));
    setError(null);
  }, [props.c]);
  const errors = errorsByPath(error);
  return (
    <form onSubmit={submit} noValidate data-testid="planning">
      {PLANNING.map((k) => {
        const id = `plan-${k}`;
        const err = errors[`planning/${k}`];
        return (
          <div class="field" key={k}>
            <label for={id}>{t(`case.planning.${k}` as any)}{props.c.planning_missing.includes(k) ? <small> ({t('case.planning.missing')})</small> : null}</label>
            <textarea id={id} rows={2} cols={60} value={form[k] || ''} aria-invalid={err ? 'true' : undefined}
              onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLTextAreaElement).value })} />
            {err ? <span class="field-error" data-field-error={`planning/${k}`}>{err}</span> : null}
          </div>
        );
      })}
      <ErrorBox error={error} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <div class="actions"><button type="submit">{t('case.planning.save')}</button></div>
    </form>
  );
}

function Terms(props: { c: Case; onDone: () => void }) {
  const [versions, setVersions] = useState<{ version: string; title: string }[] | null>(null);
  const [version, setVersion] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: { version: string; title: string }[] }>('/v1/terms').then((r) => {
      setVersions(r.items);
      setVersion(r.items.length ? r.items[0].version : '');
    }, setError);
  }, []);
  const accept = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/v1/onboardings/${props.c.id}/terms-acceptance`, { terms_version: version });
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  const a = props.c.terms_acceptance;
  return (
    <div data-testid="terms">
      <p>{a ? <>{t('case.terms.accepted', { version: a.terms_version, by: a.portal_user ? `${a.portal_user} (${a.accepted_by})` : a.accepted_by })} <Time iso={a.accepted_at} /></> : <span class="bad">{t('case.terms.none')}</span>}</p>
      {versions && versions.length ? (
        <form class="filters" onSubmit={accept}>
          <label>{t('case.terms.version')}<select id="terms-version" value={version} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}>
            {versions.map((v) => <option key={v.version} value={v.version}>{v.version} · {v.title}</option>)}
          </select></label>
          <button type="submit">{t('case.terms.accept')}</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}

function LinkClient(props: { c: Case; etag: string; onDone: () => void }) {
  const [candidates, setCandidates] = useState<any[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: any[] }>(`/v1/clients?organisation=${props.c.organisation}&environment=test&limit=200`).then((r) => {
      const linked = new Set(props.c.test_clients.map((x) => x.client_id));
      const free = r.items.filter((x) => !linked.has(x.client_id));
      setCandidates(free);
      setChosen(free.length ? free[0].client_id : '');
    }, setError);
  }, [props.c]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await request('POST', `/v1/onboardings/${props.c.id}/clients`, { client_id: chosen }, { 'If-Match': props.etag });
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (!candidates) return error ? <ErrorBox error={error} /> : null;
  if (candidates.length === 0) return <p class="meta">{t('case.link.none')} <Link to="/clients/new">{t('clients.register')}</Link></p>;
  return (
    <form class="filters" onSubmit={submit}>
      <label>{t('case.link.client')}<select id="case-link-client" value={chosen} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
        {candidates.map((x) => <option key={x.client_id} value={x.client_id}>{x.client_name} · {x.client_id}</option>)}
      </select></label>
      <button type="submit" data-testid="case-link">{t('case.link')}</button>
      <ErrorBox error={error} />
    </form>
  );
}

function CasePage(props: { id: string }) {
  const [orders, setOrders] = useState<any[] | null>(null);
  const rec = useRecord<Case>(`/v1/onboardings/${props.id}`, () => {
    get<{ items: any[] }>(`/v1/production-orders?onboarding_id=${props.id}&limit=50`).then((r) => setOrders(r.items), rec.setError);
  });
  const { record: c, etag, error, conflict, load, patch } = rec;
  const toggle = async () => {
    rec.setError(null);
    try {
      await patch({ state: c!.state === 'withdrawn' ? 'open' : 'withdrawn' });
    } catch (err) {
      rec.setError(err);
    }
  };
  if (!c) return error ? <ErrorBox error={error} /> : <Loading />;
  return (
    <section aria-labelledby="case-title">
      <RecordHead back="/onboardings" backLabel={t('case.title')} titleId="case-title" title={<>{t('case.one')}: {c.service_name}</>}>
        <dt>id</dt><dd><Id value={c.id} what="id" /></dd>
        <dt>{t('queue.col.org')}</dt><dd><Link to={`/organisations/${c.organisation}`}>{c.organisation}</Link></dd>
        <dt>{t('order.state')}</dt><dd data-testid="case-state">{stateText(c.state)}</dd>
        <dt>version</dt><dd>{c.version}</dd>
        <dt>{t('case.created')}</dt><dd><Time iso={c.created_at} /> <small>{c.created_by}</small></dd>
        {c.production_client_id ? <><dt>{t('order.production_client')}</dt><dd><Link to={`/support?q=${c.production_client_id}&environment=production`}>{c.production_client_id}</Link></dd></> : null}
      </RecordHead>
      {conflict ? (
        <div class="error" role="alert" data-testid="conflict">
          {t('case.conflict')} <button type="button" class="secondary" onClick={load}>{t('common.reload')}</button>
        </div>
      ) : null}
      <ErrorBox error={error} />
      {c.state === 'open' || c.state === 'withdrawn' ? (
        <div class="actions"><button type="button" class="secondary" data-testid="case-toggle" onClick={toggle}>{c.state === 'withdrawn' ? t('case.reopen') : t('case.withdraw')}</button></div>
      ) : null}
      <div class="grid2">
        <div>
          <h2>{t('case.planning')} {c.planning_complete ? <span class="ok">✓</span> : <span class="bad">✗</span>}</h2>
          <Planning c={c} save={patch} />
        </div>
        <div>
          <h2>{t('case.terms')}</h2>
          <Terms c={c} onDone={load} />
          <h2>{t('case.clients')}</h2>
          {c.test_clients.length === 0 ? <p>{t('common.none')}</p> : (
            <ul data-testid="case-clients">
              {c.test_clients.map((x) => <li key={x.client_id}><Link to={`/clients/${x.client_id}`}>{x.client_name}</Link> · {x.state} · <Time iso={x.linked_at} /> <small>{x.linked_by}</small></li>)}
            </ul>
          )}
          <LinkClient c={c} etag={etag} onDone={load} />
          <h2>{t('case.orders')}</h2>
          {!orders ? <Loading /> : orders.length === 0 ? <p>{t('common.none')}</p> : (
            <ul data-testid="case-orders">
              {orders.map((o) => <li key={o.id}><Link to={`/orders/${o.id}`}>{t(`order.state.${o.state}` as any)}</Link> · {o.test_client_id} · <Time iso={o.submitted_at || o.created_at} /></li>)}
            </ul>
          )}
        </div>
      </div>
      <h2>{t('org.contacts')}</h2>
      <ContactsEditor idPrefix="case-contact" contacts={c.contacts} save={(contacts) => patch({ contacts })} />
    </section>
  );
}

export function Onboardings(props: { path: string }) {
  const m = match('/onboardings/:id', props.path);
  if (m) return <CasePage id={m.id} />;
  return <List />;
}
