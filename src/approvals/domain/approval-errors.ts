import { DomainError } from '../../event-sourcing/index.js';

/** Four-eyes violations: deciding on one's own request, or deciding twice. HTTP 403. */
export class SegregationOfDutiesError extends DomainError {
  constructor(message: string) {
    super('segregation-of-duties', message);
  }
}
