import type { FastifyRequest } from 'fastify';

/** The header the console sends its session's CSRF token in (lower case, as Node gives headers). */
export const csrfHeader = 'x-csrf-token';
/** Over HTTPS the cookie takes the `__Host-` prefix: Secure, Path=/, no Domain, so no sub-domain can plant or read it. */
export const secureSessionCookie = '__Host-kontor_session';
export const plainSessionCookie = 'kontor_session';

/** The console session id the request's Cookie header carries, if any. */
export function consoleSessionIdOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = request.headers.cookie;
  if (request.headers.authorization !== undefined || typeof header !== 'string') return undefined;
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies.get(secureSessionCookie) ?? cookies.get(plainSessionCookie);
}

/**
 * Whether the request reached Kontor over TLS: `request.protocol` is `https` on a TLS socket, or
 * when a proxy trusted by KONTOR_TRUST_PROXY says so in X-Forwarded-Proto.
 */
export function overTls(request: Pick<FastifyRequest, 'protocol'>): boolean {
  return request.protocol === 'https';
}

/** Set-Cookie for a new session: httpOnly, SameSite=Strict, Secure (and `__Host-`) over TLS. */
export function sessionCookie(sessionId: string, secure: boolean): string {
  const name = secure ? secureSessionCookie : plainSessionCookie;
  return `${name}=${sessionId}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie values that clear both cookie names (sign-out, an ended session). */
export function clearedSessionCookies(secure: boolean): string[] {
  const expired = 'Path=/; HttpOnly; SameSite=Strict; Max-Age=0';
  return [
    `${plainSessionCookie}=; ${expired}${secure ? '; Secure' : ''}`,
    ...(secure ? [`${secureSessionCookie}=; ${expired}; Secure`] : []),
  ];
}
