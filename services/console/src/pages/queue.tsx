// Work queue: the submitted production orders, oldest first (the API's order), with age,
// organisation, test client, delivery kind and readiness (the API's summary of the full
// checklist: ready, or what is missing); filters; refreshes itself.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { all } from '../api';
import { age } from '../format';
import { t, type Key } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Link, Loading, Time } from '../ui';

const REFRESH_MS = 15000;

// The API's readiness summary: the whole checklist the order review shows, judged now.
function isReady(o: Order): boolean {
  return o.readiness ? o.readiness.ready : false;
}

function missingText(codes: string[]): string {
  return codes.map((c) => t(`ready.${c}` as Key)).join(', ');
}

function ReadyCell(props: { order: Order }) {
  const r = props.order.readiness;
  if (!r) return <span>{t('queue.ready.unknown')}</span>;
  if (r.ready) return <span class="ok" data-ready="true">✓ {t('queue.ready.yes')}</span>;
  return (
    <span class="bad" data-ready="false" data-missing={r.missing.join(' ')}>
      ✗ {t('queue.ready.missing', { list: missingText(r.missing) })}
    </span>
  );
}

interface Order {
  id: string;
  organisation: string;
  test_client_id: string;
  submitted_at: string;
  age_seconds: number;
  delivery: { method: string };
  proposed_metadata: { client_name?: string };
  production_validation: { valid: boolean; errors: unknown[] };
  readiness: { ready: boolean; missing: string[] } | null;
  entered: { by: string; role: string; portal_user?: string };
}

export function Queue() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [orgNames, setOrgNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [updated, setUpdated] = useState('');
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [ready, setReady] = useState('');
  const alive = useRef(true);

  const load = async () => {
    try {
      const list = await all<Order>('/v1/production-orders?state=submitted', 20000);
      if (!alive.current) return;
      setOrders(list);
      setUpdated(new Date().toISOString());
      setError(null);
      const orgs = await all<{ orgno: string; name: string }>('/v1/organisations', 20000);
      if (alive.current) setOrgNames(Object.fromEntries(orgs.map((o) => [o.orgno, o.name])));
    } catch (e) {
      if (alive.current) setError(e);
    }
  };
  useEffect(() => {
    alive.current = true;
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, []);

  const shown = useMemo(() => {
    if (!orders) return [];
    const q = text.trim().toLowerCase();
    return orders.filter((o) => {
      if (kind && o.delivery.method !== kind) return false;
      if (ready && String(isReady(o)) !== ready) return false;
      if (!q) return true;
      const hay = `${o.organisation} ${orgNames[o.organisation] || ''} ${o.proposed_metadata.client_name || ''} ${o.test_client_id} ${o.entered.by} ${o.entered.portal_user || ''}`.toLowerCase();
      return hay.includes(q);
    });
  }, [orders, orgNames, text, kind, ready]);

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('queue.filter.text')}
          <input type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('queue.filter.delivery')}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="">{t('queue.filter.all')}</option>
            <option value="sms_zip">{t('delivery.sms_zip')}</option>
            <option value="certificate">{t('delivery.certificate')}</option>
          </select>
        </label>
        <label>
          {t('queue.filter.ready')}
          <select value={ready} onChange={(e) => setReady((e.target as HTMLSelectElement).value)}>
            <option value="">{t('queue.filter.all')}</option>
            <option value="true">{t('queue.ready.yes')}</option>
            <option value="false">{t('queue.ready.no')}</option>
          </select>
        </label>
        <button type="button" onClick={load}>{t('common.refresh')}</button>
      </form>
      <p class="meta" aria-live="polite">
        <span data-testid="queue-count">{orders ? t('queue.count', { n: shown.length }) : ''}</span>{' '}
        {updated ? <>· {t('queue.updated', { time: '' })}<Time iso={updated} /> · {t('queue.auto')}</> : null}
      </p>
      <ErrorBox error={error} />
      {!orders ? <Loading /> : shown.length === 0 ? <p>{t('queue.empty')}</p> : (
        <div class="scroll">
          <table class="queue">
            <thead>
              <tr>
                <th scope="col">{t('queue.col.age')}</th>
                <th scope="col">{t('queue.col.org')}</th>
                <th scope="col">{t('queue.col.client')}</th>
                <th scope="col">{t('queue.col.delivery')}</th>
                <th scope="col">{t('queue.col.ready')}</th>
                <th scope="col">{t('queue.col.entered')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o) => (
                <tr key={o.id} onDblClick={() => navigate(`/orders/${o.id}`)}>
                  <td><span title={o.submitted_at}>{age(o.age_seconds)}</span></td>
                  <td>{orgNames[o.organisation] || ''} <small>{o.organisation}</small></td>
                  <td>
                    <Link to={`/orders/${o.id}`} label={`${t('queue.open')}: ${o.proposed_metadata.client_name || o.test_client_id}`}>
                      {o.proposed_metadata.client_name || o.test_client_id}
                    </Link>
                  </td>
                  <td>{o.delivery.method === 'certificate' ? t('delivery.certificate') : t('delivery.sms_zip')}</td>
                  <td class="ready"><ReadyCell order={o} /></td>
                  <td>{o.entered.portal_user ? `${o.entered.portal_user} (${o.entered.by})` : o.entered.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
