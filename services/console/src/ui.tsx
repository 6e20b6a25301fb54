// Small pieces every page uses.
import { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api';
import { ageSince, osloTime, utcTime } from './format';
import { t } from './i18n';
import { BASE, linkClick } from './router';

export function Link(props: { to: string; children: ComponentChildren; class?: string; label?: string }) {
  return (
    <a href={`${BASE}${props.to}`} onClick={linkClick} class={props.class} aria-label={props.label}>
      {props.children}
    </a>
  );
}

/// Europe/Oslo time, UTC in the title (shown on hover and read by screen readers' details).
export function Time(props: { iso?: string | null }) {
  if (!props.iso) return <span>–</span>;
  return (
    <time dateTime={props.iso} title={utcTime(props.iso)}>
      {osloTime(props.iso)}
    </time>
  );
}

export function Age(props: { iso?: string | null; seconds?: number }) {
  const text = props.seconds !== undefined ? ageFromSeconds(props.seconds) : ageSince(props.iso);
  return <span class="age" title={props.iso ? utcTime(props.iso) : undefined}>{text}</span>;
}

function ageFromSeconds(s: number): string {
  return ageSince(new Date(Date.now() - s * 1000).toISOString());
}

/// An id in monospace with a button that copies it.
export function Id(props: { value: string; what?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = props.value;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <span class="id">
      <code>{props.value}</code>
      <button type="button" class="copy" onClick={copy} aria-label={t('common.copy.label', { what: props.what || props.value })}>
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </span>
  );
}

export function ErrorBox(props: { error: unknown }) {
  if (!props.error) return null;
  const e = props.error;
  const text =
    e instanceof ApiError
      ? `${e.status === 403 ? t('common.forbidden') + ' ' : ''}${e.message}${e.code ? ` (${e.code})` : ''}`
      : String((e as Error).message || e);
  return (
    <div class="error" role="alert">
      <strong>{t('common.error')}:</strong> {text}
      {e instanceof ApiError && e.problem.request_id ? <small> request_id {String(e.problem.request_id)}</small> : null}
    </div>
  );
}

/// A form's submit: `busy` while `action` runs and its error for ErrorBox (cleared when it
/// starts). After a refused submit, with `focusWithin` (a selector; '' for the whole page),
/// the first field marked aria-invalid there gets the focus, so keyboard and screen-reader
/// users land on what to fix.
export function useSubmit(action: () => Promise<void>, focusWithin?: string) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: Event) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
      if (focusWithin !== undefined) {
        const invalid = `${focusWithin ? `${focusWithin} ` : ''}[aria-invalid="true"]`;
        setTimeout(() => (document.querySelector(invalid) as HTMLElement | null)?.focus(), 0);
      }
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}

export function Loading() {
  return <p class="loading" role="status">{t('common.loading')}</p>;
}
