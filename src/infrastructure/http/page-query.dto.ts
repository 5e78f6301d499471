import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateBy } from 'class-validator';
import { parsePosition } from '../../event-sourcing/index.js';

/**
 * `?limit=` and `?cursor=` of the list endpoints (API.md, "Lists"), validated and documented alike
 * everywhere: as one base class for lists with an opaque cursor, and as property decorators for
 * queries that page by log position.
 */
export interface PageLimits {
  /** The page size when `?limit=` is absent (the controller applies it). */
  limitDefault: number;
  limitMax: number;
}

export interface PageQueryOptions extends PageLimits {
  /** Longer cursors are refused before decoding. */
  cursorLengthMax: number;
}

/** `?limit=`: an integer page size from 1 to `limitMax`. */
export function PageLimit({ limitDefault, limitMax }: PageLimits): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: 'Page size',
      minimum: 1,
      maximum: limitMax,
      default: limitDefault,
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(limitMax),
  );
}

/** `?cursor=` of a list paged by log position: the position of the last item, in decimal. */
export function PositionCursor(
  description = 'The `nextCursor` of the previous page',
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    IsPosition('cursor must be a cursor returned by this endpoint'),
  );
}

/** A log position in decimal, from 0 to positionMax (a larger one is a 400, not a RangeError). */
export function IsPosition(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isPosition',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parsePosition(value) !== undefined,
      defaultMessage: () => message,
    },
  });
}

/** `?cursor=`: the opaque `nextCursor` of the previous page, which the read model decodes. */
export function OpaqueCursor(lengthMax: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'The opaque `nextCursor` of the previous page' }),
    IsOptional(),
    IsString(),
    Length(1, lengthMax),
  );
}

/**
 * The base of a list query with an opaque cursor; a class per set of limits:
 *
 *   export class ListBooksQuery extends PageQuery({ limitDefault: 100, limitMax: 1000, cursorLengthMax: 1000 }) {}
 */
export function PageQuery(options: PageQueryOptions) {
  class PageQuery {
    @PageLimit(options)
    limit?: number;

    @OpaqueCursor(options.cursorLengthMax)
    cursor?: string;
  }
  return PageQuery;
}
