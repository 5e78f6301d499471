// The console's only way to read or change anything: Kontor's HTTP API, with the signed-in
// person's API key in the Authorization header. The key lives in sessionStorage (gone when the
// tab closes) and never in a URL, a cookie or the page.

const keyStorage = 'kontor.apiKey';

export function storedKey() {
  return sessionStorage.getItem(keyStorage);
}

export function storeKey(key) {
  sessionStorage.setItem(keyStorage, key);
}

export function forgetKey() {
  sessionStorage.removeItem(keyStorage);
}

/** An RFC 9457 problem answer (or a network failure shaped like one). */
export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail ?? problem.title ?? 'request failed');
    this.problem = problem;
    this.status = problem.status;
  }
  get slug() {
    return String(this.problem.type ?? '').replace(/^\/problems\//, '');
  }
}

let onUnauthorized = () => undefined;
/** Called when the API answers 401 (revoked or unknown key): the console signs out. */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function send(method, path, { body, key = storedKey(), headers = {} } = {}) {
  const init = { method, headers: { accept: 'application/json', ...headers }, cache: 'no-store' };
  if (key) init.headers.authorization = `Bearer ${key}`;
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiProblem({ title: 'network', status: 0, detail: String(error.message ?? error) });
  }
  return response;
}

async function problemOf(response) {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return { status: response.status, ...parsed };
  } catch {
    // not JSON: fall through
  }
  return { status: response.status, title: response.statusText, detail: text.slice(0, 500) };
}

/** JSON request; resolves to the parsed body, rejects with an ApiProblem. */
export async function api(method, path, options = {}) {
  const response = await send(method, path, options);
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && options.key === undefined) onUnauthorized(problem);
    throw new ApiProblem(problem);
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A file answer (an export) as a Blob. */
export async function download(path) {
  const response = await send('GET', path, { headers: { accept: '*/*' } });
  if (!response.ok) throw new ApiProblem(await problemOf(response));
  return response.blob();
}
