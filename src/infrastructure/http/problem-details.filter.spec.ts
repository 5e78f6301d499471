import { BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import {
  AssertionFailed,
  ConflictError,
  DomainError,
  ProblemCode,
  ValidationError,
} from '../../event-sourcing/index.js';
import { ProblemDetailsFilter, problemStatus } from './problem-details.filter.js';
import { problemTypes } from './problems.js';

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();
  let logged: string[];

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it.each(Object.entries(problemStatus))('maps the domain code %s to HTTP %i', (code, status) => {
    const { problem } = filter.toProblem(new DomainError(code as ProblemCode, 'because'));
    expect(problem).toEqual({
      type: `/problems/${code}`,
      title: problemTypes[code as ProblemCode].title,
      status,
      detail: 'because',
    });
  });

  it('keeps the field errors of a validation error', () => {
    const { problem } = filter.toProblem(
      new ValidationError('bad', [{ field: 'lines.1.debit', message: 'too many decimals' }]),
    );
    expect(problem.errors).toEqual([{ field: 'lines.1.debit', message: 'too many decimals' }]);
  });

  it('maps the subclasses by their code', () => {
    expect(filter.toProblem(new ConflictError('taken')).problem).toMatchObject({
      type: '/problems/conflict',
      status: 409,
    });
  });

  it('keeps the message of a NotFoundException thrown by a handler', () => {
    const request = { method: 'GET', url: '/v1/books/acme', id: 'c' } as never;
    expect(filter.toProblem(new NotFoundException('no book acme'), request).problem.detail).toBe(
      'no book acme',
    );
    expect(
      filter.toProblem(new NotFoundException('Cannot GET /v1/nope?x=1'), {
        method: 'GET',
        url: '/v1/nope?x=1',
      } as never).problem.detail,
    ).toBe('no route GET /v1/nope');
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(filter.toProblem(new NotFoundException('nope')).problem).toMatchObject({
      type: '/problems/not-found',
      status: 404,
    });
    expect(filter.toProblem(new BadRequestException('odd')).problem).toMatchObject({
      type: '/problems/validation',
      status: 400,
    });
    expect(filter.toProblem(new HttpException('slow down', 429)).problem).toMatchObject({
      type: '/problems/rate-limited',
    });
  });

  it('maps Fastify body errors, also when Nest wrapped them', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(filter.toProblem(tooLarge).problem).toMatchObject({
      type: '/problems/payload-too-large',
      status: 413,
    });
    const wrapped = new HttpException('Request body is too large', 413, { cause: tooLarge });
    expect(filter.toProblem(wrapped).problem).toMatchObject({
      type: '/problems/payload-too-large',
      status: 413,
    });
    const mediaType = Object.assign(new Error('Unsupported'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    expect(filter.toProblem(mediaType).problem).toMatchObject({
      type: '/problems/unsupported-media-type',
      status: 415,
    });
  });

  it('answers anything unexpected with a generic 500 and logs the stack loudly', () => {
    const { problem } = filter.toProblem(new TypeError('cannot read secret of undefined'));
    expect(problem).toEqual({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'an unexpected error occurred; the server log has the details',
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('TypeError: cannot read secret of undefined');
    expect(logged[0]).toContain('problem-details.filter.spec.ts');
  });

  it('treats a failed assertion as a 500', () => {
    expect(filter.toProblem(new AssertionFailed('balance must hold')).problem.status).toBe(500);
    expect(logged[0]).toContain('Assertion failed: balance must hold');
  });
});
