import { AssertionFailed, ConflictError } from '../../event-sourcing/index.js';
import {
  bob,
  request,
  requested,
  spec,
  t0,
  t1,
} from '../testing/approval-request.decider.fixtures.js';

describe('RequestApproval', () => {
  it('opens a pending request, storing amounts as minor-unit strings', () => {
    spec.given([]).when(request()).then([requested()]);
  });

  it('is a no-op when repeated with the same content (a later retry)', () => {
    spec
      .given([requested()])
      .when(request({ now: t1, expiresAt: '2026-04-07T11:00:00.000Z' }))
      .then([]);
  });

  it('refuses the same id with different content', () => {
    spec
      .given([requested()])
      .when(request({ payload: { other: true } }))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([requested()])
      .when(request({ requestedBy: bob }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('asserts that there is something to approve', () => {
    spec
      .given([])
      .when(request({ steps: [] }))
      .thenThrows(AssertionFailed);
  });

  it('asserts that the expiry lies after the request', () => {
    spec
      .given([])
      .when(request({ expiresAt: t0 }))
      .thenThrows(AssertionFailed);
  });
});
