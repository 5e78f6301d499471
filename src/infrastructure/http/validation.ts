import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  type ValidationError as ClassValidatorError,
  type ValidatorOptions,
} from 'class-validator';
import { FieldError, ValidationError } from '../../event-sourcing/index.js';
import { fieldPath } from './security/json-limits.js';

/** At most this many field errors in one answer: enough to fix a request, bounded for a hostile one. */
export const fieldErrorsMax = 50;

/**
 * The global pipe: DTOs are validated with class-validator, unknown fields are refused, and
 * every failure becomes a 400 `validation` problem listing `{ field, message }`: one error per
 * field (the most specific), the field as a path (`lines[0].debit`), the message saying what is
 * expected and what came instead.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    ...validatorOptions,
    transform: true,
    exceptionFactory: validationErrorOf,
  });
}

const validatorOptions: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: false,
  validationError: { target: true, value: true },
};

function validationErrorOf(errors: ClassValidatorError[]): ValidationError {
  const fieldErrors = flattenValidationErrors(errors).slice(0, fieldErrorsMax);
  const summary = fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; ');
  return new ValidationError(summary || 'the request is invalid', fieldErrors);
}

/**
 * What the global pipe does to a body, for a value inside one (an entry of a batch): the DTO
 * instance, or the same 400 `validation` error the pipe throws, fields named from the value.
 */
export async function validatedAs<T extends object>(
  type: ClassConstructor<T>,
  value: unknown,
): Promise<T> {
  if (!isJsonObject(value)) throw notAnObject(value);
  if (acceptedFast(type, value)) return value as T;
  const instance = plainToInstance(type, value);
  const errors = await validate(instance, validatorOptions);
  if (errors.length > 0) throw validationErrorOf(errors);
  return instance;
}

/**
 * Compiled JSON Schemas of hot bodies (the posting body), by DTO class: a body the schema accepts
 * is taken as it is, without class-validator and class-transformer (~200 µs per posting body).
 * The schema must accept only what the DTO accepts (it may be stricter): anything it refuses is
 * validated by the DTO, so every answer, and every error message, stays the DTO's.
 */
const fastValidators = new WeakMap<object, ValidateFunction>();
const fastAjv = new Ajv({ allErrors: false, strict: true });

export function fastBodyValidation(type: ClassConstructor<object>, schema: object): void {
  fastValidators.set(type, fastAjv.compile(schema));
}

function acceptedFast(type: unknown, value: unknown): boolean {
  return typeof type === 'function' && fastValidators.get(type)?.(value) === true;
}

/** Every Kontor body is a JSON object: an array or a bare value is said to be so, as one error. */
class BodyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined && !isJsonObject(value))
      throw notAnObject(value);
    if (metadata.type === 'body' && acceptedFast(metadata.metatype, value))
      return Promise.resolve(value);
    return super.transform(value, metadata);
  }
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notAnObject(value: unknown): ValidationError {
  const message = `expected a JSON object, got ${describe(value, false) ?? typeof value}`;
  return new ValidationError(`(body): ${message}`, [{ field: '(body)', message }]);
}

export function flattenValidationErrors(
  errors: readonly ClassValidatorError[],
  parentPath = '',
  parentIsArray = false,
): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const key =
      parentIsArray && /^\d+$/.test(error.property) ? Number(error.property) : error.property;
    const field = fieldPath(parentPath, key) || '(body)';
    const constraint = mostSpecific(Object.keys(error.constraints ?? {}));
    if (constraint !== undefined) flat.push({ field, message: fieldMessage(error, constraint) });
    if (error.children && error.children.length > 0)
      flat.push(...flattenValidationErrors(error.children, field, Array.isArray(error.value)));
  }
  return flat;
}

/**
 * The order in which a field's broken constraints are reported; only the first is. A field that
 * should not be there, or has the wrong type, says only that: its length is beside the point.
 */
const precedence = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'nestedValidation',
  'isIn',
  'matches',
];
const sizeConstraints = [
  'isLength',
  'minLength',
  'maxLength',
  'min',
  'max',
  'arrayMinSize',
  'arrayMaxSize',
];

function rank(constraint: string): number {
  const index = precedence.indexOf(constraint);
  if (index >= 0) return index;
  // A named format check (isCalendarDate, …) is more specific than a size, less than a type.
  return sizeConstraints.includes(constraint) ? precedence.length + 1 : precedence.length;
}

function mostSpecific(constraints: string[]): string | undefined {
  return [...constraints].sort((a, b) => rank(a) - rank(b))[0];
}

function fieldMessage(error: ClassValidatorError, constraint: string): string {
  if (constraint === 'whitelistValidation') return 'is not a known field';
  const expected = expectedOf(error, constraint);
  if (error.value === undefined) return `is required: ${expected}`;
  const ownMessage = typeof metadataOf(error, constraint)?.message === 'string';
  const got = describe(error.value, sizeConstraints.includes(constraint) && !ownMessage);
  return got === undefined ? expected : `${expected}, got ${got}`;
}

/** What the constraint wants, as "expected …": the DTO's own message, or one made from its arguments. */
function expectedOf(error: ClassValidatorError, constraint: string): string {
  // class-validator's own message for a nested value that is no object ("nested property $property …").
  if (constraint === 'nestedValidation') return 'expected an object';
  const metadata = metadataOf(error, constraint);
  if (typeof metadata?.message === 'string') return expectation(metadata.message, error.property);
  const generated = generatedExpectation(constraint, metadata?.constraints ?? [], error.value);
  // `{ each: true }`: the constraint holds for every item of an array.
  if (generated !== undefined && metadata?.each && Array.isArray(error.value))
    return generated.replace(/^expected /, 'expected every item to be ');
  // A custom decorator's default message ("asOf must be a calendar date YYYY-MM-DD").
  return generated ?? expectation(error.constraints?.[constraint] ?? 'is invalid', error.property);
}

/** "from must be a calendar date" → "expected a calendar date": `field` names the field, once. */
function expectation(message: string, property: string): string {
  const withoutField = message.startsWith(`${property} `)
    ? message.slice(property.length + 1)
    : message;
  return withoutField.replace(/^must be /, 'expected ');
}

function generatedExpectation(
  constraint: string,
  args: readonly unknown[],
  value: unknown,
): string | undefined {
  const [first, second] = args as [number, number | undefined];
  // Without the decorator's arguments (no metadata for this target) only class-validator's text is left.
  if (args.length === 0 && argumentConstraints.has(constraint)) return undefined;
  switch (constraint) {
    case 'isDefined':
      return 'expected a value';
    case 'isString':
      return 'expected a string';
    case 'isInt':
      return 'expected an integer';
    case 'isNumber':
      return 'expected a number';
    case 'isBoolean':
      return 'expected true or false';
    case 'isArray':
      return 'expected an array';
    case 'isObject':
      return 'expected an object';
    case 'isIn':
      return `expected one of ${(args[0] as unknown[]).map((item) => JSON.stringify(item)).join(', ')}`;
    case 'isLength':
      return `expected ${characters(first, second)}`;
    case 'minLength':
      return `expected at least ${first} characters`;
    case 'maxLength':
      return `expected at most ${first} characters`;
    case 'min':
      return `expected at least ${first}`;
    case 'max':
      return `expected at most ${first}`;
    case 'arrayMinSize':
    case 'arrayMaxSize': {
      const bound = constraint === 'arrayMinSize' ? 'at least' : 'at most';
      const items = `${bound} ${first} item${first === 1 ? '' : 's'}`;
      return Array.isArray(value) ? `expected ${items}` : `expected an array of ${items}`;
    }
    default:
      return undefined;
  }
}

const argumentConstraints = new Set([
  'isIn',
  'isLength',
  'minLength',
  'maxLength',
  'min',
  'max',
  'arrayMinSize',
  'arrayMaxSize',
]);

function characters(min: number, max: number | undefined): string {
  if (max === undefined) return `at least ${min} characters`;
  if (min === max) return `exactly ${min} characters`;
  if (min <= 1) return `a non-empty string of at most ${max} characters`;
  return `${min} to ${max} characters`;
}

const shownTextMax = 40;

/**
 * What came instead, short enough for a message and never the whole of a hostile value (with its
 * length when a length is what is wrong). Undefined when the pipe's
 * conversion lost it (a query `limit=abc` arrives as NaN).
 */
function describe(value: unknown, withLength: boolean): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const json = JSON.stringify(value);
    return json.length > shownTextMax ? `an array of ${value.length} items` : json;
  }
  if (typeof value === 'string') {
    const shown = value.length > shownTextMax ? `${value.slice(0, shownTextMax)}…` : value;
    if (!withLength) return JSON.stringify(shown);
    return `${JSON.stringify(shown)} (${value.length} character${value.length === 1 ? '' : 's'})`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : undefined;
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : undefined;
}

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

function metadataOf(
  error: ClassValidatorError,
  constraint: string,
): ValidationMetadata | undefined {
  const target = error.target?.constructor;
  if (typeof target !== 'function') return undefined;
  return getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find(
      (metadata) =>
        metadata.propertyName === error.property && (metadata.name ?? metadata.type) === constraint,
    );
}
