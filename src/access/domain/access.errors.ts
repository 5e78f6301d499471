import { DomainError } from '../../event-sourcing/index.js';

/** No API key, a malformed Authorization header, or an unknown or revoked key (401). */
export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}
