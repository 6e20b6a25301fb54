// Client-side routes under /console/ (onboard-api answers every such path with index.html).
export const BASE = '/console';

export function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '/';
  return p === '' ? '/' : p;
}

const listeners = new Set<() => void>();
export function onNavigate(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
window.addEventListener('popstate', () => listeners.forEach((fn) => fn()));

export function navigate(path: string, replace = false): void {
  const url = `${BASE}${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((fn) => fn());
  window.scrollTo(0, 0);
}

/// Click handler for in-app links: plain left clicks navigate without a page load.
export function linkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement) || null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href') || '';
  if (!href.startsWith(BASE)) return;
  e.preventDefault();
  navigate(href.slice(BASE.length) || '/');
}

/// `pattern` like /orders/:id against `path`: the parameters, or null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('?')[0].split('/');
  if (a.length !== b.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) out[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return out;
}

export function searchParam(name: string): string {
  return new URLSearchParams(location.search).get(name) || '';
}
