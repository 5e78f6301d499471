/**
 * What request logs never show: API keys (an SSE client's `?access_token=`, a key pasted into
 * any other parameter or into the path) and the values of parameters whose names say they are
 * secret. Applied by the request serializer of the HTTP logger (logging.module.ts), so it holds
 * for every request line whatever route, status or log level.
 */
export const redactedText = '[redacted]';

/** Parameter names whose values are secret whatever they look like (`access_token`, `api_key`, …). */
const secretParameterName = /token|key|secret|password|passwd|auth|signature|credential|session/i;
/** Parameters that may carry a person's name or contact (a parties search, `?q=Mustermann`). */
const personalParameterName = /^(q|name|email|phone|iban)$/i;
const kontorKey = /kontor_[A-Za-z0-9_-]+/g;
/** A long run of token characters: a key that was chosen (KONTOR_ADMIN_KEY) need not start with `kontor_`. */
const tokenRun = /[A-Za-z0-9_~+%-]{32,}/g;

/**
 * A token run looks like a key when it mixes upper case, lower case and digits, as base64 does;
 * ids (UUIDs, lower-case hex) and words do not, so they stay readable.
 */
function looksLikeKey(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

export class LogRedactor {
  /** Each secret as written and as it appears URL-encoded. */
  private readonly knownSecrets: string[];

  constructor(secrets: readonly string[] = []) {
    this.knownSecrets = [
      ...new Set(
        secrets
          .filter((secret) => secret.length > 0)
          .flatMap((secret) => [
            secret,
            encodeURIComponent(secret),
            encodeURIComponent(secret).replace(/%20/g, '+'),
          ]),
      ),
    ];
  }

  text(text: string): string {
    let redacted = text;
    for (const secret of this.knownSecrets) redacted = redacted.split(secret).join(redactedText);
    return redacted
      .replace(kontorKey, redactedText)
      .replace(tokenRun, (run) => (looksLikeKey(run) ? redactedText : run));
  }

  url(url: string): string {
    const queryStart = url.indexOf('?');
    if (queryStart < 0) return this.text(url);
    const pairs = url
      .slice(queryStart + 1)
      .split('&')
      .map((pair) => {
        const nameEnd = pair.indexOf('=');
        if (nameEnd < 0) return this.text(pair);
        const name = pair.slice(0, nameEnd);
        const value = isSecretName(name) ? redactedText : this.text(pair.slice(nameEnd + 1));
        return `${this.text(name)}=${value}`;
      });
    return `${this.text(url.slice(0, queryStart))}?${pairs.join('&')}`;
  }

  /** A parsed query or path parameters: secret names masked, key-looking values masked. */
  parameters(parameters: unknown): unknown {
    if (parameters === null || typeof parameters !== 'object') return parameters;
    return Object.fromEntries(
      Object.entries(parameters as Record<string, unknown>).map(([name, value]) => [
        this.text(name),
        isSecretName(name) ? redactedText : this.value(value),
      ]),
    );
  }

  private value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    return value;
  }
}

function isSecretName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // a malformed escape: judge the name as written
  }
  return secretParameterName.test(decoded) || personalParameterName.test(decoded);
}
