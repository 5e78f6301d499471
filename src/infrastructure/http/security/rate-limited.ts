import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * 429 `rate-limited` with `Retry-After` (seconds): the problem filter turns the `retryAfter`
 * of the response into the header.
 */
export function rateLimited(detail: string, retryAfterSeconds: number): HttpException {
  return new HttpException(
    { message: detail, retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)) },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
