// The console's only way to the server: the documented REST API (docs/openapi.json) on the
// same origin, authenticated by the session cookie. Unsafe requests carry the session's
// CSRF token in X-CSRF-Token; errors arrive as RFC 9457 problem+json and are thrown as
// ApiError with the problem's members.

export interface FieldError {
  path: string;
  code?: string;
  message?: string;
  detail?: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public problem: Record<string, any>,
  ) {
    super(String(problem.detail || problem.title || `HTTP ${status}`));
  }
  get code(): string {
    return String(this.problem.code || '');
  }
  get fieldErrors(): FieldError[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export interface Session {
  id: string;
  method: string;
  actor: string;
  display_name: string;
  role: 'operator' | 'auditor' | string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  absolute_expires_at: string;
  idle_timeout_s: number;
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

export interface Answer<T> {
  status: number;
  body: T;
  etag: string;
  headers: Headers;
}

export async function request<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = headers['Content-Type'] || 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers: h,
    credentials: 'same-origin',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = res.headers.get('Content-Type') || '';
  const parsed = type.includes('json') ? await res.json().catch(() => ({})) : await res.text();
  if (!res.ok) {
    const problem = typeof parsed === 'object' && parsed ? parsed : { detail: String(parsed) };
    if (res.status === 401 && path !== '/v1/sessions') onSignedOut();
    throw new ApiError(res.status, problem);
  }
  return { status: res.status, body: parsed as T, etag: res.headers.get('ETag') || '', headers: res.headers };
}

export const get = <T = any>(path: string) => request<T>('GET', path).then((a) => a.body);
export const post = <T = any>(path: string, body: unknown = {}) =>
  request<T>('POST', path, body).then((a) => a.body);
export const del = <T = any>(path: string) => request<T>('DELETE', path).then((a) => a.body);

/// Query string from the non-empty members of `q`.
export function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/// Every item of a cursor-paged list (items + next_cursor), up to `max`.
export async function all<T = any>(path: string, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor = '';
  const sep = path.includes('?') ? '&' : '?';
  for (;;) {
    const page = await get<any>(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const items: T[] = page.items || page.data || [];
    out.push(...items);
    cursor = page.next_cursor || '';
    if (!cursor || out.length >= max) return out;
  }
}

export async function signIn(token: string): Promise<Session> {
  const s = await post<Session>('/v1/sessions', { token });
  setCsrfToken(s.csrf_token);
  return s;
}

export async function currentSession(): Promise<Session | null> {
  try {
    const s = await get<Session>('/v1/sessions/current');
    setCsrfToken(s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
    throw e;
  }
}

/// A way to sign in (GET /v1/sessions/methods): the personal token, or single sign-on.
export interface SignInMethod {
  method: 'token' | 'oidc' | string;
  provider_name?: string;
  issuer?: string;
  start_url?: string;
  sign_in_url?: string;
}

export async function signInMethods(): Promise<SignInMethod[]> {
  const m = await get<{ methods: SignInMethod[] }>('/v1/sessions/methods');
  return Array.isArray(m.methods) ? m.methods : [];
}

/// Ends the session here; returns the provider's end_session_url (RP-initiated logout) when
/// the session came from single sign-on and the provider supports it, else ''.
export async function signOut(): Promise<string> {
  try {
    const out = await del<{ end_session_url?: string } | string>('/v1/sessions/current');
    return out && typeof out === 'object' && out.end_session_url ? out.end_session_url : '';
  } finally {
    setCsrfToken('');
  }
}
