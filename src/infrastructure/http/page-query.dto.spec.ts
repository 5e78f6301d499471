import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PageLimit, PageQuery, PositionCursor } from './page-query.dto.js';

class NarrowPageQuery extends PageQuery({ limitDefault: 10, limitMax: 50, cursorLengthMax: 8 }) {}

class PositionPageQuery {
  @PositionCursor()
  cursor?: string;

  @PageLimit({ limitDefault: 10, limitMax: 50 })
  limit?: number;
}

function failures(type: new () => object, query: Record<string, string>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(type, query));
  return Object.fromEntries(
    errors.map((error) => [error.property, Object.values(error.constraints ?? {})]),
  );
}

describe('page query', () => {
  it('takes an absent or in-range limit, as a number', () => {
    expect(failures(NarrowPageQuery, {})).toEqual({});
    expect(failures(NarrowPageQuery, { limit: '50', cursor: 'abc' })).toEqual({});
    expect(plainToInstance(NarrowPageQuery, { limit: '7' }).limit).toBe(7);
  });

  it('refuses a limit out of range or not an integer, and a cursor longer than the class allows', () => {
    expect(failures(NarrowPageQuery, { limit: '0' })).toEqual({
      limit: ['limit must not be less than 1'],
    });
    expect(failures(NarrowPageQuery, { limit: '51' })).toEqual({
      limit: ['limit must not be greater than 50'],
    });
    expect(failures(NarrowPageQuery, { limit: '1.5' })).toEqual({
      limit: ['limit must be an integer number'],
    });
    expect(failures(NarrowPageQuery, { cursor: 'x'.repeat(9) })).toEqual({
      cursor: [expect.stringMatching(/shorter than or equal to 8 characters/)],
    });
  });

  it('keeps each class its own limits', () => {
    class WidePageQuery extends PageQuery({
      limitDefault: 10,
      limitMax: 500,
      cursorLengthMax: 80,
    }) {}
    expect(failures(WidePageQuery, { limit: '500', cursor: 'x'.repeat(80) })).toEqual({});
    expect(failures(NarrowPageQuery, { limit: '500' })).toEqual({
      limit: ['limit must not be greater than 50'],
    });
  });

  it('takes only decimal positions as a position cursor', () => {
    expect(failures(PositionPageQuery, { cursor: '42', limit: '3' })).toEqual({});
    expect(failures(PositionPageQuery, { cursor: 'abc' })).toEqual({
      cursor: ['cursor must be a cursor returned by this endpoint'],
    });
  });
});
