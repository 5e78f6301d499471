import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { KontorConfig } from '../../config.js';
import { KONTOR_CONFIG } from '../tokens.js';

/** JSON logs (pino) at LOG_LEVEL; each request line carries the correlation id as `reqId`. */
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
              paths: ['req.headers.authorization', 'req.headers.cookie'],
              censor: '[redacted]',
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
