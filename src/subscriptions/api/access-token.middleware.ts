import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

const accessTokenParameter = 'access_token';

/**
 * GET /v1/events/stream only: browsers' EventSource cannot send headers, so the key may come as
 * `?access_token=`. It becomes the Authorization header (the auth guard stays the one check) and
 * is redacted from the URL before anything logs it. A header, when sent, wins.
 */
@Injectable()
export class AccessTokenMiddleware implements NestMiddleware {
  use(request: IncomingMessage, _response: ServerResponse, next: () => void): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const token = url.searchParams.get(accessTokenParameter);
    if (token !== null) {
      if (!request.headers.authorization) request.headers.authorization = `Bearer ${token}`;
      url.searchParams.set(accessTokenParameter, 'redacted');
      request.url = `${url.pathname}${url.search}`;
    }
    next();
  }
}
