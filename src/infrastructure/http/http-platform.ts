import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KontorConfig, TrustProxy } from '../../config.js';
import { ValidationError, assert } from '../../event-sourcing/index.js';
import { Metrics } from './metrics.js';
import { problemContentType, problemDetails } from './problems.js';
import { clientErrorHandler, frameworkErrors } from './security/framework-errors.js';

/** API.md: request bodies over 1 MiB are refused with 413 `payload-too-large`. */
export const requestBodyBytesMax = 1024 * 1024;
export const correlationIdHeader = 'x-correlation-id';
export const correlationIdLengthMax = 128;
const printableAscii = /^[\x20-\x7e]+$/;
const readMethods = new Set(['GET', 'HEAD']);

/** A client's `X-Correlation-Id` when it is ≤ 128 printable characters, else a fresh UUID. */
export function correlationIdOf(request: IncomingMessage): string {
  const given = request.headers[correlationIdHeader];
  const value = Array.isArray(given) ? given[0] : given;
  if (
    value &&
    value.length <= correlationIdLengthMax &&
    printableAscii.test(value) &&
    value.trim() === value
  )
    return value;
  return randomUUID();
}

/**
 * KONTOR_TRUST_PROXY as Fastify's `trustProxy`: `request.ip` is then the client address from
 * X-Forwarded-For, read from the right, past the trusted proxies. A number of hops becomes a
 * function: Fastify 5 takes a bare number as "trust nobody" (it cannot check the peer), while
 * the documented meaning — as in Express — is to trust the `n` hops nearest to Kontor, whoever
 * they are.
 */
export function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

export function createFastifyAdapter(config: Pick<KontorConfig, 'trustProxy'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: requestBodyBytesMax,
    trustProxy: trustProxyOption(config.trustProxy),
    // Errors raised before routing leave as problem+json too.
    frameworkErrors,
    clientErrorHandler,
    // The correlation id is the request id: pino-http logs it as reqId (it reuses `raw.id`).
    genReqId: (raw: IncomingMessage) => {
      const id = correlationIdOf(raw);
      (raw as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
}

/** Positions and amounts in minor units are bigint; JSON gets them as numbers while they are exact. */
function jsonWithBigints(payload: unknown): string {
  return JSON.stringify(payload, (_key, value: unknown) => {
    if (typeof value !== 'bigint') return value;
    assert(
      value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER),
      `bigint ${value} is too large for a JSON number`,
    );
    return Number(value);
  });
}

/** Route config of a route that takes any content type as raw bytes, up to `bytesMax`. */
export function binaryBody(bytesMax: number): { binaryBodyBytesMax: number } {
  return { binaryBodyBytesMax: bytesMax };
}

function binaryLimitOf(config: unknown): number | undefined {
  const max = (config as { binaryBodyBytesMax?: unknown } | undefined)?.binaryBodyBytesMax;
  return typeof max === 'number' ? max : undefined;
}

function acceptBinaryBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const max = binaryLimitOf(route.config);
    if (max !== undefined) route.bodyLimit = max;
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    if (binaryLimitOf(request.routeOptions.config) !== undefined) return done(null, body);
    const refused = Object.assign(new Error('unsupported media type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    done(refused, undefined);
  });
}

/** The raw body of a binary route (the content type parser hands it over as a Buffer). */
export function bodyBytesOf(request: FastifyRequest): { bytes: Buffer; contentType: string } {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = request.body;
  const bytes = Buffer.isBuffer(body)
    ? body
    : body === undefined || body === null
      ? Buffer.alloc(0)
      : Buffer.from(JSON.stringify(body));
  if (bytes.byteLength === 0 || contentType === '')
    throw new ValidationError('send the file as the request body with its Content-Type', [
      { field: 'body', message: 'must not be empty and needs a Content-Type' },
    ]);
  return { bytes, contentType };
}

/** Hooks every request passes through: correlation id, read-only replica, request metrics. */
export function configureHttpPlatform(
  app: NestFastifyApplication,
  config: KontorConfig,
  metrics: Metrics,
): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.setReplySerializer(jsonWithBigints);
  // Bodies are JSON only; anything else is a 415 `unsupported-media-type`, except on routes
  // that take raw bytes (`@RouteConfig(binaryBody(max))`: documents, incoming invoices).
  fastify.removeContentTypeParser('text/plain');
  acceptBinaryBodies(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(correlationIdHeader, request.id);
    if (config.readOnly && !readMethods.has(request.method)) {
      const problem = problemDetails(
        'forbidden',
        'this Kontor instance is a read-only replica: writes are refused',
      );
      return reply
        .status(problem.status)
        .header('content-type', `${problemContentType}; charset=utf-8`)
        .send(problem);
    }
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
