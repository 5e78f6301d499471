import type { TestApp } from './app.js';

/** POSTs raw bytes with a content type (the JSON helper of TestApp sends text only). */
export async function upload(
  app: TestApp,
  path: string,
  bytes: Uint8Array | string,
  contentType: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType, ...headers },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: json && text ? JSON.parse(text) : text };
}

/** GETs the raw bytes and content type of a response. */
export async function download(
  app: TestApp,
  path: string,
  key: string,
): Promise<{ status: number; bytes: Buffer; contentType: string | null }> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
  };
}
