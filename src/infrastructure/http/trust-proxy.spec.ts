import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config.js';
import { createFastifyAdapter } from './http-platform.js';

/** `request.ip` as Kontor's Fastify adapter computes it with KONTOR_TRUST_PROXY set to `setting`. */
async function clientAddress(
  setting: string | undefined,
  peer: string,
  forwardedFor?: string,
): Promise<string> {
  const config = loadConfig(setting === undefined ? {} : { KONTOR_TRUST_PROXY: setting });
  const app = createFastifyAdapter(config).getInstance() as unknown as FastifyInstance;
  app.get('/', async (request) => ({ ip: request.ip }));
  try {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: peer,
      ...(forwardedFor !== undefined ? { headers: { 'x-forwarded-for': forwardedFor } } : {}),
    });
    return (response.json() as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('KONTOR_TRUST_PROXY → request.ip', () => {
  it('ignores X-Forwarded-For when unset', async () => {
    expect(await clientAddress(undefined, '10.0.0.5', '203.0.113.7')).toBe('10.0.0.5');
  });

  it('takes the client from X-Forwarded-For only when the peer is a listed proxy', async () => {
    expect(await clientAddress('10.0.0.0/8', '10.0.0.5', '203.0.113.7')).toBe('203.0.113.7');
    expect(await clientAddress('10.0.0.0/8', '192.0.2.1', '203.0.113.7')).toBe('192.0.2.1');
    // A forged entry the client put in front is skipped: the nearest untrusted address counts.
    expect(await clientAddress('10.0.0.0/8', '10.0.0.5', '198.51.100.1, 203.0.113.7')).toBe(
      '203.0.113.7',
    );
  });

  it('counts hops from Kontor: n proxies in front, whoever they are', async () => {
    expect(await clientAddress('1', '10.0.0.5', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(await clientAddress('2', '10.0.0.5', '198.51.100.1, 203.0.113.7')).toBe('198.51.100.1');
  });

  it('trusts every hop with true', async () => {
    expect(await clientAddress('true', '10.0.0.5', '198.51.100.1, 203.0.113.7')).toBe(
      '198.51.100.1',
    );
  });
});
