// API tokens (operators): the list, create (the secret is shown once, with a copy button)
// and revoke.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { t } from '../i18n';
import { ErrorBox, Id, Loading, Time } from '../ui';

export function Tokens() {
  const [items, setItems] = useState<any[] | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState('operator');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = () => get<{ items: any[] }>('/v1/tokens').then((r) => setItems(r.items), setError);
  useEffect(() => {
    load();
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    try {
      const r = await post<{ token: string; name: string }>('/v1/tokens', { name: name.trim(), role, ...(days ? { expires_in_days: Number(days) } : {}) });
      setCreated({ name: r.name, token: r.token });
      setName('');
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await del(`/v1/tokens/${id}`);
      setConfirm('');
      await load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('tokens.title')}</h1>
      <form class="filters" onSubmit={create}>
        <label>{t('tokens.name')}<input id="token-name" value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
        <label>{t('tokens.role')}<select id="token-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}><option>operator</option><option>auditor</option><option>portal</option><option>provider</option></select></label>
        <label>{t('tokens.days')}<input id="token-days" type="number" min={1} max={3650} size={6} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">{t('tokens.create')}</button>
      </form>
      {created ? (
        <div class="notice" role="status" data-testid="token-created">
          <p>{t('tokens.once', { name: created.name })}</p>
          <Id value={created.token} what={t('tokens.secret')} />
        </div>
      ) : null}
      <ErrorBox error={error} />
      {!items ? <Loading /> : (
        <div class="scroll">
          <table>
            <thead><tr><th scope="col">{t('tokens.name')}</th><th scope="col">{t('tokens.role')}</th><th scope="col">prefix</th><th scope="col">created</th><th scope="col">{t('support.expires')}</th><th scope="col">last used</th><th scope="col"><span class="sr-only">{t('support.revoke')}</span></th></tr></thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-token={k.name}>
                  <td>{k.name} <small>{k.organisation || ''}</small></td>
                  <td>{k.role}</td>
                  <td><code>{k.prefix}</code></td>
                  <td><Time iso={k.created_at} /> <small>{k.created_by || ''}</small></td>
                  <td><Time iso={k.expires_at} /></td>
                  <td><Time iso={k.last_used_at} /></td>
                  <td>{k.revoked_at ? <>{t('tokens.revoked')} <Time iso={k.revoked_at} /></> : confirm === k.id ? (
                    <button type="button" class="danger" onClick={() => revoke(k.id)}>{t('support.revoke')}: {t('common.yes')}?</button>
                  ) : <button type="button" class="secondary" onClick={() => setConfirm(k.id)}>{t('support.revoke')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
