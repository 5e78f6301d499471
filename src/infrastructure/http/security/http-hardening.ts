import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { KontorConfig } from '../../../config.js';
import { problemContentType, problemDetails } from '../problems.js';
import { JsonLimitError, JsonLimits, jsonLimitViolation, jsonLimits } from './json-limits.js';

/** Request headers a browser client may send cross-origin (when CORS is configured). */
export const corsAllowedHeaders = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'Last-Event-ID',
  'X-Correlation-Id',
];
/** Response headers a cross-origin browser client may read. */
export const corsExposedHeaders = [
  'Retry-After',
  'Location',
  'X-Correlation-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];
export const corsMaxAgeSeconds = 600;

/**
 * Security headers (helmet), CORS only for the configured origins, and the JSON body parser with
 * shape limits. Call before `app.init()`. docs/security.md explains each setting.
 */
export async function configureHttpHardening(
  app: NestFastifyApplication,
  config: KontorConfig,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      // Helmet's defaults suit the Swagger UI at /docs (scripts from 'self', inline styles);
      // no framing, and no upgrade of requests since Kontor is often reached over plain HTTP
      // behind a TLS-terminating proxy.
      directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null },
    },
  });
  if (config.corsOrigins && config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: corsAllowedHeaders,
      exposedHeaders: corsExposedHeaders,
      maxAge: corsMaxAgeSeconds,
    });
  }
  useLimitedJsonParser(app);
  refuseNulInUrls(app);
}

const encodedNul = /%00/i;

/**
 * No Kontor id, code or filter holds a NUL character, and PostgreSQL text cannot hold one (a
 * query with it fails): a URL carrying `%00` is refused up front with 400 `validation`.
 */
function refuseNulInUrls(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      if (!encodedNul.test(request.url)) return;
      const problem = problemDetails('validation', 'the URL contains a NUL character (%00)');
      return reply
        .status(problem.status)
        .header('content-type', `${problemContentType}; charset=utf-8`)
        .send(problem);
    });
}

/**
 * Bodies are JSON only. Fastify's JSON parser (secure-json-parse: `__proto__` and
 * `constructor.prototype` keys are refused) followed by the shape limits; form bodies, which
 * Nest would otherwise parse, are a 415.
 */
function useLimitedJsonParser(app: NestFastifyApplication, limits: JsonLimits = jsonLimits): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  app.useBodyParser(
    'application/json',
    {},
    (
      request: FastifyRequest,
      body: Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => {
      parseJson(request, body.toString('utf8'), (error: Error | null, value?: unknown) => {
        if (error) return done(error);
        const violation = jsonLimitViolation(value, limits);
        if (violation) {
          const { problem, field } = violation;
          const errors = field === undefined ? undefined : [{ field, message: problem }];
          return done(new JsonLimitError(`the request body is refused: ${problem}`, errors));
        }
        done(null, value);
      });
    },
  );
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    {},
    (_request: FastifyRequest, _body: Buffer, done: (error: Error | null) => void) => {
      done(new UnsupportedMediaTypeError());
    },
  );
}

class UnsupportedMediaTypeError extends Error {
  override name = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
  readonly code = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
  constructor() {
    super('request bodies must be application/json');
  }
}
