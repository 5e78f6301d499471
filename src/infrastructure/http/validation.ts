import { ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { FieldError, ValidationError } from '../../event-sourcing/index.js';

/** At most this many field errors in one answer: enough to fix a request, bounded for a hostile one. */
export const fieldErrorsMax = 50;

/**
 * The global pipe: DTOs are validated with class-validator, unknown fields are refused, and
 * every failure becomes a 400 `validation` problem listing `{ field, message }` (nested fields
 * as dotted paths, e.g. `lines.1.debit`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors).slice(0, fieldErrorsMax);
      const summary = fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; ');
      return new ValidationError(summary || 'the request is invalid', fieldErrors);
    },
  });
}

export function flattenValidationErrors(
  errors: readonly ClassValidatorError[],
  parentPath = '',
): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      flat.push({ field: field || '(body)', message: unknownPropertyMessage(message) ?? message });
    }
    if (error.children && error.children.length > 0)
      flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

function unknownPropertyMessage(message: string): string | undefined {
  return /^property .+ should not exist$/.test(message) ? 'is not a known field' : undefined;
}
