import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { KontorConfig } from '../../config.js';
import { KONTOR_CONFIG } from '../tokens.js';
import { LogRedactor, redactedText } from './log-redaction.js';

/** The logged request (pino's standard fields) with keys and secret parameters masked. */
function requestSerializer(redactor: LogRedactor) {
  return (request: Record<string, unknown>): Record<string, unknown> => {
    const logged: Record<string, unknown> = { ...request };
    if (typeof request.url === 'string') logged.url = redactor.url(request.url);
    if (Object.hasOwn(request, 'query')) logged.query = redactor.parameters(request.query);
    if (Object.hasOwn(request, 'params')) logged.params = redactor.parameters(request.params);
    return logged;
  };
}

/**
 * JSON logs (pino) at LOG_LEVEL; each request line carries the correlation id as `reqId`. No
 * line shows an API key: Authorization-like headers are redacted, and URLs, query strings and
 * path parameters go through the LogRedactor (docs/security.md).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [KONTOR_CONFIG],
      useFactory: (config: KontorConfig) => ({
        // nestjs-pino's default route pattern matches nothing under Nest 12 on Fastify.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: [
          {
            level: config.logLevel,
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers["proxy-authorization"]',
                'req.headers["x-api-key"]',
                'req.headers.cookie',
              ],
              censor: redactedText,
            },
            serializers: {
              req: requestSerializer(new LogRedactor(config.adminKey ? [config.adminKey] : [])),
            },
            customLogLevel: (_request, response, error) =>
              error || response.statusCode >= 500
                ? 'error'
                : response.statusCode >= 400
                  ? 'warn'
                  : 'info',
          },
          // KONTOR_LOG_FILE: appended synchronously, so nothing is lost when the process dies.
          config.logFile
            ? pino.destination({ dest: config.logFile, sync: true })
            : pino.destination(1),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
