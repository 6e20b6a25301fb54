// Order review: the test client's metadata against the proposed production metadata, the
// readiness checklist, approve (the API refuses the operator who entered the order: the
// reason is shown) or reject with a required reason; after approval the delivery's
// progress, followed live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, request, Session } from '../api';
import { t } from '../i18n';
import { Age, ErrorBox, Id, Link, Loading, Time } from '../ui';
import { DeliveryProgress } from './delivery';

interface Order {
  id: string;
  onboarding_id: string;
  organisation: string;
  test_client_id: string;
  state: string;
  delivery: { method: string; mobile?: string; email?: string };
  proposed_metadata: Record<string, unknown>;
  metadata_diff: { field: string; from: unknown; to: unknown }[];
  production_validation: { valid: boolean; errors: { path: string; code?: string; message?: string }[] };
  notes: string;
  entered: { by: string; role: string; portal_user?: string };
  submitted_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  production_client_id: string | null;
  age_seconds: number;
}

interface ReadinessItem {
  id: string;
  title: string;
  ok: boolean;
  detail?: string;
  missing?: string[];
  cases?: { id: number; name: string; title: string; mandatory: boolean; outcome: string | null; ok: boolean }[];
  [k: string]: unknown;
}

export function value(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? v.join('\n') : '[]';
  return typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

function Diff(props: { diff: Order['metadata_diff'] }) {
  if (props.diff.length === 0) return <p>{t('order.diff.none')}</p>;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr><th scope="col">{t('order.diff.field')}</th><th scope="col">{t('order.diff.test')}</th><th scope="col">{t('order.diff.production')}</th></tr>
        </thead>
        <tbody>
          {props.diff.map((d) => (
            <tr key={d.field}>
              <th scope="row"><code>{d.field}</code></th>
              <td><del><pre class="value">{value(d.from)}</pre></del></td>
              <td><ins><pre class="value">{value(d.to)}</pre></ins></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Readiness(props: { items: ReadinessItem[] }) {
  return (
    <ul class="check">
      {props.items.map((i) => (
        <li key={i.id} data-item={i.id}>
          <span class={i.ok ? 'ok' : 'bad'} aria-hidden="true">{i.ok ? '✓' : '✗'}</span>{' '}
          <strong>{i.title}</strong>
          {i.detail ? <> – {i.detail}</> : null}
          {i.missing && i.missing.length ? <> ({i.missing.join(', ')})</> : null}
          <span class="sr-only">{i.ok ? t('common.yes') : t('common.no')}</span>
          {i.cases ? (
            <ul>
              {i.cases.filter((c) => c.mandatory || c.outcome).map((c) => (
                <li key={c.id}>
                  <span class={c.ok ? 'ok' : 'bad'} aria-hidden="true">{c.ok ? '✓' : '✗'}</span> {c.title} <small>{c.outcome || '–'}</small>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function Order(props: { id: string; session: Session }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [orgName, setOrgName] = useState('');
  const [readiness, setReadiness] = useState<ReadinessItem[] | null>(null);
  const [deliveryId, setDeliveryId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [refusal, setRefusal] = useState('');
  const [notice, setNotice] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const findDelivery = async (o: Order) => {
    if (!o.production_client_id) return;
    const found = await get<{ deliveries: { id: string; order_id?: string | null; created_at: string }[] }>(
      `/v1/support/lookup?client_id=${encodeURIComponent(o.production_client_id)}&environment=production`,
    );
    const mine = found.deliveries.filter((d) => !d.order_id || d.order_id === o.id);
    if (mine.length) setDeliveryId(mine[0].id);
  };

  const load = async () => {
    try {
      const o = await get<Order>(`/v1/production-orders/${encodeURIComponent(props.id)}`);
      setOrder(o);
      get<{ name: string }>(`/v1/organisations/${o.organisation}`).then((org) => setOrgName(org.name), () => {});
      get<{ items: ReadinessItem[] }>(`/v1/clients/${o.test_client_id}/readiness?delivery=${o.delivery.method}`).then((r) => setReadiness(r.items), setError);
      if (o.state === 'approved') await findDelivery(o);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [props.id]);

  const approve = async () => {
    setBusy(true);
    setRefusal('');
    setError(null);
    try {
      const a = await request<Order>('POST', `/v1/production-orders/${props.id}/approve`);
      setOrder(a.body);
      setNotice(t('order.approved', { id: a.body.production_client_id || '' }));
      const d = a.headers.get('X-Onboard-Delivery-Id');
      if (d) setDeliveryId(d);
      else await findDelivery(a.body);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 409 || e.status === 422)) setRefusal(e.message + (e.code ? ` (${e.code})` : ''));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const reject = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('order.reject.required'));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setReasonError('');
    setError(null);
    try {
      setOrder(await post<Order>(`/v1/production-orders/${props.id}/reject`, { reason: reason.trim() }));
      setNotice(t('order.rejected'));
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length) setReasonError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!order) return error ? <ErrorBox error={error} /> : <Loading />;
  const o = order;
  return (
    <section aria-labelledby="order-title">
      <p><Link to="/queue">← {t('nav.queue')}</Link></p>
      <h1 id="order-title">{t('order.title')}: {String(o.proposed_metadata.client_name || '')}</h1>
      <dl class="facts">
        <dt>id</dt><dd><Id value={o.id} what="order id" /></dd>
        <dt>{t('order.state')}</dt><dd data-testid="order-state">{t(`order.state.${o.state}` as any)}</dd>
        <dt>{t('queue.col.org')}</dt><dd><Link to={`/organisations/${o.organisation}`}>{orgName || o.organisation}</Link> <Id value={o.organisation} what="orgno" /></dd>
        <dt>{t('queue.col.client')}</dt><dd><Link to={`/clients/${o.test_client_id}`}>{o.test_client_id}</Link></dd>
        <dt>{t('case.one')}</dt><dd><Link to={`/onboardings/${o.onboarding_id}`}>{o.onboarding_id}</Link></dd>
        <dt>{t('order.submitted')}</dt><dd><Time iso={o.submitted_at} /> ({<Age seconds={o.age_seconds} />})</dd>
        <dt>{t('queue.col.entered')}</dt><dd>{o.entered.portal_user ? `${o.entered.portal_user} / ${o.entered.by}` : o.entered.by} ({o.entered.role})</dd>
        <dt>{t('order.delivery')}</dt><dd>{o.delivery.method === 'certificate' ? t('delivery.certificate') : t('delivery.sms_zip')} {o.delivery.mobile || ''} {o.delivery.email || ''}</dd>
        {o.notes ? <><dt>{t('order.notes')}</dt><dd>{o.notes}</dd></> : null}
        {o.decided_by ? <><dt>{t('order.decision', { by: o.decided_by, time: '' })}</dt><dd><Time iso={o.decided_at} /> {o.decision_reason || ''}</dd></> : null}
        {o.production_client_id ? <><dt>{t('order.production_client')}</dt><dd><Id value={o.production_client_id} what="production client_id" /></dd></> : null}
      </dl>
      {notice ? <div class="notice" role="status">{notice}</div> : null}
      {refusal ? <div class="error" role="alert" data-testid="refusal">{t('order.refused', { reason: refusal })}</div> : null}
      <ErrorBox error={error} />
      <div class="grid2">
        <div>
          <h2>{t('order.diff')}</h2>
          <Diff diff={o.metadata_diff} />
          <h2>{t('order.validation')}</h2>
          {o.production_validation.valid ? <p class="ok">{t('order.validation.ok')}</p> : (
            <ul>{o.production_validation.errors.map((e) => <li key={e.path} class="bad"><code>{e.path}</code>: {e.message || e.code}</li>)}</ul>
          )}
        </div>
        <div>
          <h2>{t('order.readiness')}</h2>
          {readiness ? <Readiness items={readiness} /> : <Loading />}
        </div>
      </div>
      {o.state === 'submitted' && props.session.role === 'operator' ? (
        <div class="panel">
          <div class="actions">
            <button type="button" onClick={approve} disabled={busy}>{t('order.approve')}</button>
          </div>
          <form onSubmit={reject} noValidate>
            <label for="reject-reason">{t('order.reject.reason')}</label>
            <textarea id="reject-reason" ref={reasonRef} rows={3} cols={60} value={reason} aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={reasonError ? 'reject-reason-error' : undefined} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            {reasonError ? <span id="reject-reason-error" class="field-error">{reasonError}</span> : null}
            <div class="actions"><button type="submit" class="danger" disabled={busy}>{t('order.reject')}</button></div>
          </form>
        </div>
      ) : null}
      {deliveryId ? <DeliveryProgress id={deliveryId} /> : null}
    </section>
  );
}
