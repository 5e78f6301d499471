// The console's only way to read or change anything: Kontor's HTTP API, authenticated by the
// session cookie (httpOnly: this script never sees it) set at sign-in. Every request that may
// change state carries the session's CSRF token in X-CSRF-Token; the token lives only in this
// module's memory (docs/adr/0018).

let csrfToken;

/** Keeps the CSRF token of the session just signed in or found (undefined: signed out). */
export function useCsrfToken(token) {
  csrfToken = token;
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

const safeMethods = ['GET', 'HEAD'];

async function send(method, path, { body, headers = {} } = {}) {
  const init = {
    method,
    headers: { accept: 'application/json', ...headers },
    cache: 'no-store',
    credentials: 'same-origin',
  };
  if (!safeMethods.includes(method) && csrfToken) init.headers['x-csrf-token'] = csrfToken;
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
    if (response.status === 401 && !options.signingIn) onUnauthorized(problem);
    throw new ApiProblem(problem);
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The file name a Content-Disposition header gives (filename* or filename), if any. */
function fileNameOf(disposition) {
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (encoded) return decodeURIComponent(encoded[1].trim());
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(disposition ?? '');
  return plain ? (plain[1] ?? plain[2]) : undefined;
}

/** A file answer (an export) as a Blob and the file name the API gave it (undefined: none). */
export async function downloadFile(path) {
  const response = await send('GET', path, { headers: { accept: '*/*' } });
  if (!response.ok) throw new ApiProblem(await problemOf(response));
  return {
    blob: await response.blob(),
    fileName: fileNameOf(response.headers.get('content-disposition')),
  };
}

/** A file answer (an export) as a Blob. */
export async function download(path) {
  return (await downloadFile(path)).blob;
}
