// Support lookup: one search box for a client_id (with its environment), an organisation
// number or a client name; the client, its organisation and case, its history as field
// diffs, secrets (metadata only), keys and certificates with expiry, deliveries with each
// step (reissue, revoke), verification runs and the audit trail.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post } from '../api';
import { t } from '../i18n';
import { navigate, searchParam } from '../router';
import { ErrorBox, Id, Loading, Time } from '../ui';
import { Delivery, Steps } from './delivery';
import { Readiness, value } from './order';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Found {
  client: Record<string, any>;
  organisation: Record<string, any> | null;
  onboarding: Record<string, any> | null;
  orders: Record<string, any>[];
  readiness?: { items: any[] };
  deliveries: Delivery[];
  recent_audit_events: AuditEvent[];
}
interface AuditEvent {
  seq: number;
  occurred_at_us?: number;
  occurred_at?: string;
  actor: string;
  role: string;
  portal_user?: string;
  action: string;
  target_type: string;
  target_id: string;
  outcome: string;
}

/// AuditEvent has occurred_at, the lookup's AuditEventSummary occurred_at_us.
function eventTime(e: AuditEvent): string {
  if (e.occurred_at) return e.occurred_at;
  const d = new Date((e.occurred_at_us || 0) / 1000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function AuditRows(props: { events: AuditEvent[] }) {
  return (
    <div class="scroll">
      <table>
        <thead><tr><th scope="col">seq</th><th scope="col">time</th><th scope="col">actor</th><th scope="col">action</th><th scope="col">target</th><th scope="col">outcome</th></tr></thead>
        <tbody>
          {props.events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td><Time iso={eventTime(e)} /></td>
              <td>{e.actor} <small>{e.role}{e.portal_user ? ` / ${e.portal_user}` : ''}</small></td>
              <td><code>{e.action}</code></td>
              <td>{e.target_type} <small>{e.target_id}</small></td>
              <td>{e.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryCard(props: { d: Delivery; clientId: string; onChanged: () => void }) {
  const { d } = props;
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      props.onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  };
  const secretId = (d as any).secret_id as string;
  const open = d.state === 'in_progress' || d.state === 'failed' || d.state === 'expired';
  return (
    <li class="panel" data-delivery={d.id}>
      <p><Id value={d.id} what="delivery id" /> · {d.state} · {d.channel} · {d.recipients.mobile || ''} {d.recipients.email || ''} · <Time iso={d.created_at} /></p>
      <Steps d={d} />
      <div class="actions">
        {open ? <button type="button" class="secondary" disabled={busy} onClick={() => act(() => post(`/v1/deliveries/${d.id}/reissue`))}>{t('support.reissue')}</button> : null}
        {!d.revoked_at && secretId ? (
          confirm ? (
            <button type="button" class="danger" disabled={busy} onClick={() => act(() => del(`/v1/clients/${props.clientId}/secrets/${secretId}`))}>{t('support.revoke')}: {t('common.yes')}?</button>
          ) : (
            <button type="button" class="secondary" disabled={busy} onClick={() => setConfirm(true)}>{t('support.revoke')}</button>
          )
        ) : null}
      </div>
      <ErrorBox error={error} />
    </li>
  );
}

function Details(props: { id: string; environment: string }) {
  const [found, setFound] = useState<Found | null>(null);
  const [extra, setExtra] = useState<Record<string, any>>({});
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    setError(null);
    setExtra({});
    try {
      const f = await get<Found>(`/v1/support/lookup?client_id=${encodeURIComponent(props.id)}&environment=${props.environment}`);
      setFound(f);
      const id = f.client.client_id;
      const parts = await Promise.allSettled([
        get(`/v1/clients/${id}/history`),
        get(`/v1/clients/${id}/secrets`),
        get(`/v1/clients/${id}/certificates`),
        get(`/v1/clients/${id}/verification-runs`),
        get(`/v1/clients/${id}/audit?limit=50`),
      ]);
      const [history, secrets, certs, runs, audit] = parts.map((p) => (p.status === 'fulfilled' ? p.value : null));
      setExtra({ history, secrets, certs, runs, audit });
    } catch (e) {
      setFound(null);
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [props.id, props.environment]);
  if (error) return error instanceof ApiError && error.status === 404 ? <p role="status">{t('support.nothing')}</p> : <ErrorBox error={error} />;
  if (!found) return <Loading />;
  const c = found.client;
  return (
    <div data-testid="support-result">
      <h2>{t('support.client')}: {String(c.client_name)}</h2>
      <dl class="facts">
        <dt>client_id</dt><dd><Id value={c.client_id} what="client_id" /></dd>
        <dt>{t('support.environment')}</dt><dd>{c.environment}</dd>
        <dt>state</dt><dd>{c.state}</dd>
        <dt>integration_type</dt><dd>{c.integration_type}</dd>
        <dt>token_endpoint_auth_method</dt><dd>{c.token_endpoint_auth_method}</dd>
        <dt>redirect_uris</dt><dd>{(c.redirect_uris || []).join(' ')}</dd>
        <dt>scopes</dt><dd>{(c.scopes || []).join(' ')}</dd>
      </dl>
      <h2>{t('support.organisation')}</h2>
      {found.organisation ? <p>{found.organisation.name} <Id value={found.organisation.orgno} what="orgno" /></p> : <p>–</p>}
      {found.onboarding ? <p>Onboarding: <Id value={found.onboarding.id} what="onboarding id" /> {found.onboarding.service_name || ''} · {found.onboarding.state || ''}</p> : null}
      {found.orders.length ? (
        <ul>{found.orders.map((o) => <li key={o.id}><a href={`/console/orders/${o.id}`} onClick={(e) => { e.preventDefault(); navigate(`/orders/${o.id}`); }}>{t('order.title')}</a> · {o.state} · <Time iso={o.submitted_at} /></li>)}</ul>
      ) : null}
      {found.readiness ? <><h2>{t('order.readiness')}</h2><Readiness items={found.readiness.items} /></> : null}
      <h2>{t('support.deliveries')}</h2>
      {found.deliveries.length ? <ul class="plain">{found.deliveries.map((d) => <DeliveryCard key={d.id} d={d} clientId={c.client_id} onChanged={load} />)}</ul> : <p>{t('common.none')}</p>}
      <h2>{t('support.secrets')}</h2>
      {extra.secrets?.items?.length ? (
        <table><thead><tr><th scope="col">id</th><th scope="col">prefix</th><th scope="col">state</th><th scope="col">{t('support.expires')}</th><th scope="col">created</th></tr></thead>
          <tbody>{extra.secrets.items.map((s: any) => <tr key={s.id}><td><Id value={s.id} what="secret id" /></td><td><code>{s.prefix}</code></td><td>{s.state}</td><td><Time iso={s.expires_at} /></td><td><Time iso={s.created_at} /></td></tr>)}</tbody></table>
      ) : <p>{t('common.none')}</p>}
      <h2>{t('support.keys')}</h2>
      {extra.certs?.certificates?.length ? (
        <table><thead><tr><th scope="col">kid</th><th scope="col">kind</th><th scope="col">subject</th><th scope="col">{t('support.expires')}</th></tr></thead>
          <tbody>{extra.certs.certificates.map((k: any) => <tr key={k.kid}><td><Id value={k.kid} what="kid" /></td><td>{k.kind}</td><td>{k.subject || ''}</td><td><Time iso={k.not_after} /></td></tr>)}</tbody></table>
      ) : <p>{t('common.none')}</p>}
      <h2>{t('support.runs')}</h2>
      {extra.runs?.items?.length ? (
        <ul data-testid="support-runs">{extra.runs.items.map((r: any) => <li key={r.id}><Time iso={r.tested_at} /> · {r.tester} · {r.complete ? '✓' : '✗'} {r.results.map((x: any) => `${x.case_id}:${x.outcome}`).join(' ')}</li>)}</ul>
      ) : <p>{t('common.none')}</p>}
      <h2>{t('support.history')}</h2>
      {extra.history?.items?.length ? (
        <ol class="timeline">{extra.history.items.map((h: any) => (
          <li key={h.version}><Time iso={h.changed_at} /> · v{h.version} · <strong>{h.change}</strong> · {h.actor}{h.portal_user ? ` / ${h.portal_user}` : ''}
            {h.diff.length ? <ul>{h.diff.map((d: any) => <li key={d.field}><code>{d.field}</code>: <del>{value(d.from)}</del> → <ins>{value(d.to)}</ins></li>)}</ul> : null}
          </li>))}
        </ol>
      ) : <p>{t('common.none')}</p>}
      <h2>{t('support.audit')}</h2>
      <AuditRows events={extra.audit?.items || found.recent_audit_events} />
    </div>
  );
}

export function Support() {
  const [q, setQ] = useState(searchParam('q') || searchParam('client_id'));
  const [environment, setEnvironment] = useState(searchParam('environment') || 'test');
  const [selected, setSelected] = useState<{ id: string; environment: string } | null>(null);
  const [matches, setMatches] = useState<Record<string, any>[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const search = async (e?: Event) => {
    e?.preventDefault();
    const text = q.trim();
    setError(null);
    setMatches(null);
    setSelected(null);
    if (!text) return;
    history.replaceState(null, '', `/console/support?q=${encodeURIComponent(text)}&environment=${environment}`);
    if (UUID.test(text)) return setSelected({ id: text, environment });
    try {
      const query = /^\d{9}$/.test(text) ? `organisation=${text}` : `q=${encodeURIComponent(text)}`;
      const page = await get<{ items: Record<string, any>[] }>(`/v1/clients?${query}&limit=50`);
      if (page.items.length === 1) setSelected({ id: page.items[0].client_id, environment: page.items[0].environment });
      else setMatches(page.items);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    if (q) search();
  }, []);

  return (
    <section aria-labelledby="support-title">
      <h1 id="support-title">{t('support.title')}</h1>
      <form class="filters" role="search" onSubmit={search}>
        <label>
          {t('support.query')}
          <input id="support-q" type="search" size={40} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('support.environment')}
          <select value={environment} onChange={(e) => setEnvironment((e.target as HTMLSelectElement).value)}>
            <option value="test">test</option>
            <option value="production">production</option>
          </select>
        </label>
        <button type="submit">{t('common.search')}</button>
      </form>
      <ErrorBox error={error} />
      {matches ? (
        matches.length === 0 ? <p role="status">{t('support.nothing')}</p> : (
          <ul data-testid="support-matches">
            {matches.map((m) => (
              <li key={m.client_id}>
                <button type="button" class="secondary" onClick={() => setSelected({ id: m.client_id, environment: m.environment })}>{m.client_name}</button>{' '}
                <small>{m.environment} · {m.client_orgno} · {m.client_id}</small>
              </li>
            ))}
          </ul>
        )
      ) : null}
      {selected ? <Details id={selected.id} environment={selected.environment} /> : null}
    </section>
  );
}
