// Audit (operators and auditors): search the trail with the API's filters, export the
// same search as CSV or NDJSON, verify the hash chain, list and make checkpoints, and open
// the monthly report (served by the API, authenticated by the session cookie).
import { useEffect, useState } from 'preact/hooks';
import { get, post, query, Session } from '../api';
import { t } from '../i18n';
import { ErrorBox, Loading, Time } from '../ui';
import { AuditRows } from './support';

const FILTERS = ['from', 'to', 'actor', 'role', 'organisation', 'client_id', 'action', 'outcome', 'request_id'] as const;

function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

export function Audit(props: { session: Session }) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<any[] | null>(null);
  const [cursor, setCursor] = useState('');
  const [verify, setVerify] = useState<Record<string, any> | null>(null);
  const [checkpoints, setCheckpoints] = useState<any[] | null>(null);
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const [error, setError] = useState<unknown>(null);

  const search = async (e?: Event, more = false) => {
    e?.preventDefault();
    setError(null);
    try {
      const page = await get<{ items: any[]; next_cursor: string | null }>(`/v1/audit/events${query({ ...filters, limit: 100, cursor: more ? cursor : '' })}`);
      setEvents(more && events ? [...events, ...page.items] : page.items);
      setCursor(page.next_cursor || '');
    } catch (err) {
      setError(err);
    }
  };
  const loadCheckpoints = () => get<{ items: any[] }>('/v1/audit/checkpoints?limit=20').then((c) => setCheckpoints(c.items), setError);
  useEffect(() => {
    search();
    loadCheckpoints();
  }, []);
  const runVerify = async () => {
    setError(null);
    setVerify(null);
    try {
      setVerify(await get(`/v1/audit/verify${query({ from: filters.from, to: filters.to })}`));
    } catch (err) {
      setError(err);
    }
  };
  const checkpoint = async () => {
    setError(null);
    try {
      await post('/v1/audit/checkpoints', {});
      await loadCheckpoints();
    } catch (err) {
      setError(err);
    }
  };
  const exportUrl = (format: string) => `/v1/audit/events${query({ ...filters, format })}`;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <form class="filters" role="search" onSubmit={search}>
        {FILTERS.map((k) => (
          <label key={k}>
            {t(`audit.filter.${k}` as any)}
            <input id={`audit-${k}`} size={k === 'client_id' || k === 'request_id' ? 36 : 14} value={filters[k] || ''}
              placeholder={k === 'from' || k === 'to' ? 'YYYY-MM-DD' : undefined}
              onInput={(e) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value })} />
          </label>
        ))}
        <button type="submit">{t('common.search')}</button>
      </form>
      <p class="actions">
        <a class="button" href={exportUrl('csv')} download="audit-events.csv">{t('audit.export.csv')}</a>
        <a class="button" href={exportUrl('ndjson')} download="audit-events.ndjson">{t('audit.export.ndjson')}</a>
        <button type="button" class="secondary" onClick={runVerify}>{t('audit.verify')}</button>
      </p>
      <ErrorBox error={error} />
      {verify ? (
        <div class={verify.intact ? 'notice' : 'error'} role="status" data-testid="verify-result">
          {verify.intact ? t('audit.intact', { n: verify.checked, first: verify.first_seq, last: verify.last_seq, cp: verify.checkpoints_checked }) : t('audit.broken', { seq: String(verify.broken_seq ?? ''), reason: verify.reason || '' })}
        </div>
      ) : null}
      {!events ? <Loading /> : <AuditRows events={events} />}
      {cursor ? <button type="button" class="secondary" onClick={() => search(undefined, true)}>{t('common.more')}</button> : null}

      <h2>{t('audit.checkpoints')}</h2>
      {checkpoints === null ? <Loading /> : checkpoints.length === 0 ? <p>{t('common.none')}</p> : (
        <div class="scroll">
          <table>
            <thead><tr><th scope="col">id</th><th scope="col">seq</th><th scope="col">kind</th><th scope="col">created</th><th scope="col">key</th><th scope="col">head_hash</th></tr></thead>
            <tbody>{checkpoints.map((c) => <tr key={c.id}><td>{c.id}</td><td>{c.seq}</td><td>{c.kind}</td><td><Time iso={c.created_at} /></td><td>{c.algorithm} {c.key_id}</td><td><code>{String(c.head_hash).slice(0, 16)}…</code></td></tr>)}</tbody>
          </table>
        </div>
      )}
      <p><button type="button" class="secondary" onClick={checkpoint}>{t('audit.checkpoint.make')}</button></p>

      <h2>{t('audit.report')}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('audit.report.month')}<input id="report-month" type="month" value={month} onInput={(e) => setMonth((e.target as HTMLInputElement).value)} /></label>
        <a class="button" data-testid="monthly-report" href={`/v1/audit/reports/monthly?month=${month || lastMonth()}&format=html`} target="_blank" rel="noopener">{t('audit.report.open')}</a>
      </form>
      <p class="meta">{t('signedin.as', { name: props.session.actor, role: props.session.role })}</p>
    </section>
  );
}
