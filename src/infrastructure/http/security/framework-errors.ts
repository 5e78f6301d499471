import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetails, problemContentType, problemDetails } from '../problems.js';

/**
 * Errors Fastify raises before a route runs (so Nest's exception filter never sees them) answered
 * as problem+json like every other error: a malformed URL, a path parameter longer than any id,
 * and connection-level client errors (oversized headers, a malformed request line, timeouts).
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problemDetails('not-found', 'no resource has a path parameter that long')
      : problemDetails('validation', 'the request URL is malformed');
  void reply
    .status(problem.status)
    .header('content-type', `${problemContentType}; charset=utf-8`)
    .send(problem);
}

const clientErrorStatus: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
};

export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = (error.code && clientErrorStatus[error.code]) || 400;
  const problem: ProblemDetails =
    status === 400
      ? problemDetails('validation', 'the HTTP request is malformed')
      : {
          type: 'about:blank',
          title: STATUS_CODES[status] ?? 'Client error',
          status,
          detail: STATUS_CODES[status] ?? 'client error',
        };
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${problemContentType}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
