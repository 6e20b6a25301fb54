// Contacts of an organisation or an onboarding case (name, e-mail, mobile, role): edited
// as rows and saved together (the API replaces the list), with the validator's errors
// beside the fields they name.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { ErrorBox, useSubmit } from '../ui';

export interface Contact {
  name: string;
  email: string;
  mobile?: string;
  role: string;
}

const ROLES = ['technical', 'administrative', 'incident'];

/// "/contacts/0/email", "contacts[0].email" -> "contacts/0/email".
export function errorPath(path: string): string {
  return path.replace(/^\//, '').replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/');
}

export function errorsByPath(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const f of e.fieldErrors) {
    const k = errorPath(f.path || '');
    out[k] = [out[k], f.message || f.detail || f.code].filter(Boolean).join('; ');
  }
  return out;
}

/// The contacts as rows, saved by `save` (which throws the API's error).
export function ContactsEditor(props: { idPrefix: string; contacts: Contact[]; save: (c: Contact[]) => Promise<void> }) {
  const [rows, setRows] = useState<Contact[]>(props.contacts);
  const [notice, setNotice] = useState('');
  useEffect(() => setRows(props.contacts), [props.contacts]);
  const { error, busy, submit } = useSubmit(async () => {
    setNotice('');
    await props.save(rows.map((r) => ({ name: r.name.trim(), email: r.email.trim(), role: r.role, ...(r.mobile && r.mobile.trim() ? { mobile: r.mobile.trim() } : {}) })));
    setNotice(t('clients.saved'));
  }, `#${props.idPrefix}`);
  const errors = errorsByPath(error);
  const set = (i: number, k: keyof Contact, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const cell = (i: number, k: keyof Contact, label: string) => {
    const id = `${props.idPrefix}-${i}-${k}`;
    const err = errors[`contacts/${i}/${k}`];
    return (
      <td>
        <label class="sr-only" for={id}>{label} {i + 1}</label>
        {k === 'role' ? (
          <select id={id} value={rows[i].role} onChange={(e) => set(i, k, (e.target as HTMLSelectElement).value)}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`contacts.role.${r}` as any)}</option>)}
          </select>
        ) : (
          <input id={id} size={k === 'mobile' ? 14 : 22} value={rows[i][k] || ''} aria-invalid={err ? 'true' : undefined}
            aria-describedby={err ? `${id}-error` : undefined} onInput={(e) => set(i, k, (e.target as HTMLInputElement).value)} />
        )}
        {err ? <span id={`${id}-error`} class="field-error" data-field-error={`contacts/${i}/${k}`}>{err}</span> : null}
      </td>
    );
  };
  return (
    <form id={props.idPrefix} onSubmit={submit} noValidate data-testid="contacts">
      {rows.length === 0 ? <p>{t('common.none')}</p> : (
        <div class="scroll">
          <table>
            <thead><tr><th scope="col">{t('contacts.name')}</th><th scope="col">{t('contacts.email')}</th><th scope="col">{t('contacts.mobile')}</th><th scope="col">{t('contacts.role')}</th><th scope="col"><span class="sr-only">{t('contacts.remove')}</span></th></tr></thead>
            <tbody>
              {rows.map((_, i) => (
                <tr key={i}>
                  {cell(i, 'name', t('contacts.name'))}
                  {cell(i, 'email', t('contacts.email'))}
                  {cell(i, 'mobile', t('contacts.mobile'))}
                  {cell(i, 'role', t('contacts.role'))}
                  <td><button type="button" class="secondary" onClick={() => setRows(rows.filter((__, j) => j !== i))}>{t('contacts.remove')}<span class="sr-only"> {i + 1}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBox error={error} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <div class="actions">
        <button type="button" class="secondary" data-testid="contact-add" onClick={() => setRows([...rows, { name: '', email: '', mobile: '', role: 'technical' }])}>{t('contacts.add')}</button>
        <button type="submit" disabled={busy}>{t('contacts.save')}</button>
      </div>
    </form>
  );
}
