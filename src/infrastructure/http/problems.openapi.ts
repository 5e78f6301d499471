import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { problemContentType } from './problems.js';

const problemSchemaName = 'ProblemDetails';
const fieldErrorSchemaName = 'FieldError';
const problemRef = { $ref: `#/components/schemas/${problemSchemaName}` };

const fieldErrorSchema: SchemaObject = {
  type: 'object',
  required: ['field', 'message'],
  properties: {
    field: {
      type: 'string',
      description: 'Path of the field: `name`, `lines[0].debit`, a header or query parameter',
      example: 'lines[0].debit',
    },
    message: { type: 'string', description: 'What is wrong and what is expected' },
  },
};

const problemSchema: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details; `GET /problems/<slug>` explains each `type`',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: '/problems/validation' },
    title: { type: 'string', example: 'Invalid request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', description: 'What happened and what to do about it' },
    errors: {
      type: 'array',
      description: 'For `validation`: one entry per field at fault',
      items: { $ref: `#/components/schemas/${fieldErrorSchemaName}` },
    },
  },
};

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Every operation documents its errors as `application/problem+json` with the ProblemDetails
 * schema: the error statuses its controller declares, `400` where it takes input, and a
 * `default` for the rest (401, 403, 429, 503 …; the problem filter answers every error so).
 */
export function addProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = {
    ...schemas,
    [problemSchemaName]: problemSchema,
    [fieldErrorSchemaName]: fieldErrorSchema,
  };
  for (const path of Object.values(document.paths ?? {})) {
    for (const method of methods) {
      const operation = path[method];
      if (operation) documentErrors(operation);
    }
  }
  return document;
}

function documentErrors(operation: OperationObject): void {
  const responses = operation.responses;
  const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (takesInput && !responses['400'])
    responses['400'] = { description: 'the request is invalid (problem+json `validation`)' };
  responses.default ??= {
    description: 'any other error, as RFC 9457 problem details (`GET /problems/<slug>`)',
  };
  for (const [status, response] of Object.entries(responses)) {
    if (status !== 'default' && Number(status) < 400) continue;
    const described = response as ResponseObject;
    described.content = { [problemContentType]: { schema: problemRef } };
  }
}
