import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, ProblemCode } from '../../event-sourcing/index.js';
import { StoreFault, storeFaultOf } from '../store-faults.js';
import { ProblemDetails, ProblemSlug, problemContentType, problemDetails } from './problems.js';
import type { RouteMethods } from './route-methods.js';

/** HTTP status of every expected error code (ARCHITECTURE §7, API.md). */
export const problemStatus: Record<ProblemCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'segregation-of-duties': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'payload-too-large': 413,
  'unbalanced-entry': 422,
  'period-closed': 422,
  'account-closed': 422,
  'unknown-account': 422,
  'idempotency-mismatch': 422,
  'business-rule': 422,
  'invalid-invoice': 422,
  'rate-limited': 429,
  'not-ready': 503,
};

const slugByStatus: Record<number, ProblemSlug> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'business-rule',
  429: 'rate-limited',
  503: 'not-ready',
};

/** Fastify's own request errors (body parsing, content type) that deserve their own wording. */
const fastifyErrorDetails: Record<string, { slug: ProblemSlug; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    slug: 'payload-too-large',
    detail:
      'the request body is larger than the route takes: 1 MiB (documents and incoming invoices: 20 MiB)',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    slug: 'validation',
    detail: 'the request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    slug: 'validation',
    detail: 'the request says Content-Type: application/json but its body is empty',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    slug: 'unsupported-media-type',
    detail: 'request bodies must be application/json',
  },
};

/** What a client is told when the database is away or full (problem slug, detail, Retry-After). */
export const storeFaultAnswers: Record<
  StoreFault,
  { slug: ProblemSlug; detail: string; retryAfterSeconds: number }
> = {
  unavailable: {
    slug: 'store-unavailable',
    detail:
      'the database is unreachable right now (restarting or failing over); retry after Retry-After seconds, a posting with the same Idempotency-Key',
    retryAfterSeconds: 2,
  },
  full: {
    slug: 'insufficient-storage',
    detail:
      'the disk of the database is full: nothing can be written until space is freed (reads still work); retry after Retry-After seconds',
    retryAfterSeconds: 30,
  },
};

interface ErrorWithStatus {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  fieldErrors?: unknown;
}

export interface ProblemAnswer {
  problem: ProblemDetails;
  headers?: Record<string, string>;
}

/**
 * The one exception filter (ARCHITECTURE §7): every error leaves as RFC 9457 problem details.
 * Expected errors keep their code; anything unexpected is a 500 with a generic body and a loud
 * log carrying the stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  /** Without routes, an unknown method is answered like an unknown path (404). */
  constructor(private readonly routes?: Pick<RouteMethods, 'allowed'>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception, request);
    if (reply.sent) return;
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    void reply
      .status(problem.status)
      .header('content-type', `${problemContentType}; charset=utf-8`)
      .send(problem);
  }

  toProblem(exception: unknown, request?: FastifyRequest): ProblemAnswer {
    if (exception instanceof DomainError) {
      const slug = exception.code;
      return {
        problem: {
          ...problemDetails(slug, exception.message, exception.fieldErrors),
          status: problemStatus[slug],
        },
      };
    }
    // Nest wraps Fastify's own 4xx errors (body parsing) in an HttpException whose cause they are.
    const fastify = this.fromFastifyError(
      exception instanceof HttpException ? exception.cause : exception,
    );
    if (fastify) return fastify;
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    const fault = storeFaultOf(exception);
    if (fault) return this.fromStoreFault(fault, exception, request);
    this.logger.error(
      `unexpected error on ${request?.method ?? '?'} ${request?.url ?? '?'} (correlation id ${request?.id ?? '?'}): ` +
        (exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)),
    );
    return {
      problem: problemDetails(
        'internal-error',
        'an unexpected error occurred; the server log has the details',
      ),
    };
  }

  /** The database is away or full: a warning (no stack), and an answer that says when to retry. */
  private fromStoreFault(
    fault: StoreFault,
    exception: unknown,
    request?: FastifyRequest,
  ): ProblemAnswer {
    const reason = exception instanceof Error ? exception.message : String(exception);
    this.logger.warn(
      `${request?.method ?? '?'} ${request?.url ?? '?'} (correlation id ${request?.id ?? '?'}): store ${fault}: ${reason}`,
    );
    const answer = storeFaultAnswers[fault];
    return {
      problem: problemDetails(answer.slug, answer.detail),
      headers: { 'retry-after': String(answer.retryAfterSeconds) },
    };
  }

  private fromHttpException(exception: HttpException, request?: FastifyRequest): ProblemAnswer {
    const status = exception.getStatus();
    if (status >= 500 && status !== 503) {
      this.logger.error(
        `HTTP ${status} on ${request?.method ?? '?'} ${request?.url ?? '?'}: ${exception.stack ?? exception.message}`,
      );
      return {
        problem: problemDetails(
          'internal-error',
          'an unexpected error occurred; the server log has the details',
        ),
      };
    }
    const slug = slugByStatus[status];
    const isUnknownRoute =
      status === 404 &&
      request !== undefined &&
      exception.message.startsWith(`Cannot ${request.method} `);
    const path = request?.url.split('?')[0] ?? '';
    const allowed = isUnknownRoute ? (this.routes?.allowed(path) ?? []) : [];
    if (allowed.length > 0) {
      const detail = `${path} does not answer ${request!.method}; it answers ${allowed.join(', ')}`;
      return {
        problem: problemDetails('method-not-allowed', detail),
        headers: { allow: allowed.join(', ') },
      };
    }
    const detail = isUnknownRoute ? `no route ${request.method} ${path}` : exception.message;
    const headers = retryAfter(exception);
    if (!slug) {
      return {
        problem: { type: 'about:blank', title: exception.name, status, detail: exception.message },
        headers,
      };
    }
    return { problem: { ...problemDetails(slug, detail), status }, headers };
  }

  private fromFastifyError(exception: unknown): ProblemAnswer | undefined {
    if (typeof exception !== 'object' || exception === null) return undefined;
    const { code, statusCode, message, fieldErrors } = exception as ErrorWithStatus;
    const known = typeof code === 'string' ? fastifyErrorDetails[code] : undefined;
    if (known) return { problem: problemDetails(known.slug, known.detail) };
    // Other client errors raised by Fastify or its plugins (e.g. a malformed content length).
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      const slug = slugByStatus[statusCode] ?? 'validation';
      return {
        problem: {
          ...problemDetails(
            slug,
            typeof message === 'string' ? message : 'bad request',
            Array.isArray(fieldErrors) ? (fieldErrors as FieldError[]) : undefined,
          ),
          status: statusCode,
        },
      };
    }
    return undefined;
  }
}

function retryAfter(exception: HttpException): Record<string, string> | undefined {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'retryAfter' in response) {
    return { 'retry-after': String((response as { retryAfter: unknown }).retryAfter) };
  }
  return undefined;
}
