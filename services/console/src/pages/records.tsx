// Page scaffolding of the record pages (Organisations, Onboarding cases): a cursor-paged
// list under a search form, and one record read with its ETag and changed by merge patch
// with If-Match (a 412 is kept as `conflict`, so the page can offer a reload).
import { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Answer, ApiError, get, request } from '../api';
import { t } from '../i18n';
import { ErrorBox, Link, Loading } from '../ui';

export interface Paged<T> {
  items: T[] | null;
  cursor: string;
  error: unknown;
  /// The first page again, or with `more` the next one appended. `intercept` (given to
  /// usePaged) may take a first-page load over, e.g. to open one record instead.
  load: (e?: Event, more?: boolean) => Promise<void>;
}

/// A paged list of `path(cursor)` (an API list answering {items, next_cursor}), loaded once
/// when the page opens.
export function usePaged<T>(path: (cursor: string) => string, intercept?: () => boolean): Paged<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = async (e?: Event, more = false) => {
    e?.preventDefault();
    setError(null);
    if (!more && intercept && intercept()) return;
    try {
      const page = await get<{ items: T[]; next_cursor: string | null }>(path(more ? cursor : ''));
      setItems(more && items ? [...items, ...page.items] : page.items);
      setCursor(page.next_cursor || '');
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    load();
  }, []);
  return { items, cursor, error, load };
}

/// The list's error, its table (or "nothing found") and the button for the next page.
export function PagedTable<T>(props: { paged: Paged<T>; testid: string; head: string[]; row: (item: T) => ComponentChildren }) {
  const { items, cursor, error, load } = props.paged;
  return (
    <>
      <ErrorBox error={error} />
      {!items ? <Loading /> : items.length === 0 ? <p role="status">{t('support.nothing')}</p> : (
        <div class="scroll">
          <table data-testid={props.testid}>
            <thead><tr>{props.head.map((h) => <th scope="col" key={h}>{h}</th>)}</tr></thead>
            <tbody>{items.map(props.row)}</tbody>
          </table>
        </div>
      )}
      {cursor ? <button type="button" class="secondary" onClick={() => load(undefined, true)}>{t('common.more')}</button> : null}
    </>
  );
}

export interface Versioned<T> {
  record: T | null;
  etag: string;
  error: unknown;
  setError: (e: unknown) => void;
  conflict: boolean;
  load: () => Promise<void>;
  /// PATCH `body` as a merge patch with If-Match; throws what the API answered.
  patch: (body: Record<string, unknown>) => Promise<void>;
}

/// One record of `path` (whose answers carry an ETag and a `version`), loaded when `path`
/// changes; `also` runs after each successful load (the record's related lists).
export function useRecord<T extends { version: number }>(path: string, also?: () => void): Versioned<T> {
  const [record, setRecord] = useState<T | null>(null);
  const [etag, setEtag] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const keep = (a: Answer<T>) => {
    setRecord(a.body);
    setEtag(a.etag || `"${a.body.version}"`);
  };
  const load = async () => {
    setError(null);
    setConflict(false);
    try {
      keep(await request<T>('GET', path));
      also?.();
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    load();
  }, [path]);
  const patch = async (body: Record<string, unknown>) => {
    try {
      keep(await request<T>('PATCH', path, body, { 'If-Match': etag, 'Content-Type': 'application/merge-patch+json' }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setConflict(true);
      throw err;
    }
  };
  return { record, etag, error, setError, conflict, load, patch };
}

/// A record page's head: the way back to its list, the title and the facts.
export function RecordHead(props: { back: string; backLabel: string; titleId: string; title: ComponentChildren; children: ComponentChildren }) {
  return (
    <>
      <p><Link to={props.back}>← {props.backLabel}</Link></p>
      <h1 id={props.titleId}>{props.title}</h1>
      <dl class="facts">{props.children}</dl>
    </>
  );
}
