import type { OpenAPIObject } from '@nestjs/swagger';
import { consistentWithParameter } from './consistency.interceptor.js';

const description =
  'Read-your-writes: answer only once the read models have caught up with this log position ' +
  '(the `position` returned by a write); 503 `not-ready` when they have not within 5 s ' +
  '(KONTOR_CONSISTENCY_TIMEOUT_MS).';

/**
 * Documents `?consistentWith=` on every GET operation of the OpenAPI document (the parameter is
 * handled globally by ConsistencyInterceptor, so no controller declares it). Call it on the
 * document from `SwaggerModule.createDocument` before serving it.
 */
export function addConsistentWithParameter(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths ?? {})) {
    const get = path.get;
    if (!get) continue;
    const parameters = (get.parameters ??= []);
    const declared = parameters.some(
      (parameter) => 'name' in parameter && parameter.name === consistentWithParameter,
    );
    if (declared) continue;
    parameters.push({
      name: consistentWithParameter,
      in: 'query',
      required: false,
      description,
      schema: { type: 'integer', minimum: 0 },
    });
  }
  return document;
}
