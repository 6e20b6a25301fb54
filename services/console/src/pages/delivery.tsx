// A delivery's steps (package built, e-mail sent or downloaded, SMS sent and delivered,
// the second-download alarm), polled every 2 s until it settles.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { t } from '../i18n';
import { ErrorBox, Id, Time } from '../ui';

export interface Delivery {
  id: string;
  client_id: string;
  state: string;
  channel: string;
  recipients: { mobile?: string; email?: string | null };
  steps: {
    package?: { state: string; downloaded_at?: string | null; download_attempts?: number; expires_at?: string };
    email?: { state: string; sent_at?: string | null; error?: string | null };
    sms?: { state: string; updated_at?: string | null; error_message?: string | null };
  };
  revoked_at?: string | null;
  superseded_by?: string | null;
  created_at: string;
  updated_at: string;
}

type StepState = 'done' | 'pending' | 'failed';

function Step(props: { name: string; state: StepState; at?: string | null; detail?: string; testid: string }) {
  const mark = props.state === 'done' ? '✓' : props.state === 'failed' ? '✗' : '…';
  return (
    <li data-step={props.testid} data-state={props.state}>
      <span class={props.state === 'done' ? 'ok' : props.state === 'failed' ? 'bad' : ''} aria-hidden="true">{mark}</span>{' '}
      {props.name}: {t(`progress.${props.state}` as any)} {props.at ? <Time iso={props.at} /> : null} {props.detail ? <small>{props.detail}</small> : null}
    </li>
  );
}

export function Steps(props: { d: Delivery }) {
  const { d } = props;
  const pkg = d.steps.package?.state || '';
  const email = d.steps.email?.state || 'not_applicable';
  const sms = d.steps.sms?.state || '';
  const attempts = d.steps.package?.download_attempts || 0;
  return (
    <ol class="steps">
      <Step testid="package" name={t('progress.package')} state={pkg ? 'done' : 'pending'} at={d.created_at} />
      {email !== 'not_applicable' ? (
        <Step testid="email" name={t('progress.email')} state={email === 'sent' ? 'done' : email === 'failed' ? 'failed' : 'pending'} at={d.steps.email?.sent_at} detail={d.steps.email?.error || ''} />
      ) : (
        <Step testid="download" name={t('progress.download')} state={d.steps.package?.downloaded_at ? 'done' : 'pending'} at={d.steps.package?.downloaded_at} />
      )}
      <Step testid="sms-sent" name={t('progress.sms_sent')} state={['sent', 'delivered'].includes(sms) ? 'done' : ['failed', 'undelivered'].includes(sms) ? 'failed' : 'pending'} />
      <Step testid="sms-delivered" name={t('progress.sms_delivered')} state={sms === 'delivered' ? 'done' : ['failed', 'undelivered'].includes(sms) ? 'failed' : 'pending'} at={sms === 'delivered' ? d.steps.sms?.updated_at : null} detail={d.steps.sms?.error_message || ''} />
      {attempts > 1 ? <li class="bad" role="alert" data-step="alarm">{t('progress.alarm')} ({attempts})</li> : null}
    </ol>
  );
}

export function DeliveryProgress(props: { id: string }) {
  const [d, setD] = useState<Delivery | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let timer = 0;
    let alive = true;
    const poll = async () => {
      try {
        const next = await get<Delivery>(`/v1/deliveries/${props.id}`);
        if (!alive) return;
        setD(next);
        const settled = next.state !== 'in_progress' && next.steps.sms?.state !== 'sent' && next.steps.sms?.state !== 'queued' && next.steps.sms?.state !== 'sending';
        if (!settled) timer = window.setTimeout(poll, 2000);
      } catch (e) {
        if (alive) setError(e);
      }
    };
    poll();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [props.id]);
  return (
    <section aria-labelledby="progress-title" class="panel">
      <h2 id="progress-title">{t('progress.title')}</h2>
      <p class="meta"><Id value={props.id} what="delivery id" /> · {t('progress.live')} · <span data-testid="delivery-state">{d?.state || ''}</span></p>
      <ErrorBox error={error} />
      <div aria-live="polite">{d ? <Steps d={d} /> : null}</div>
    </section>
  );
}
