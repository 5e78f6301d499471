import {
  ExecutionContext,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Actor, assert } from '../../event-sourcing/index.js';
import type { ConsoleSession } from '../application/console-sessions.js';
import { Permission, Role } from '../domain/permissions.js';

export const publicRouteKey = 'kontor:public';
export const permissionKey = 'kontor:permission';
export const bearerSchemeName = 'bearer';

/** The API key a request was made with (set by the auth guard). */
export interface AuthenticatedActor {
  keyId: string;
  name: string;
  roles: Role[];
  /** Present when the key is restricted to these books. */
  books?: string[];
}

/** What a handler needs to build event metadata (actor, correlation) and to filter by book. */
export interface RequestContextValue {
  actor: Actor;
  correlationId: string;
  roles: Role[];
  books?: string[];
}

export type KontorRequest = FastifyRequest & {
  kontorActor?: AuthenticatedActor;
  /** Set when the request was authenticated by a console session cookie (docs/adr/0018). */
  kontorSession?: ConsoleSession;
};

/** No API key needed (health, metrics, problem pages). */
export const Public = () => applyDecorators(SetMetadata(publicRouteKey, true), ApiSecurity({}));

/** The one permission a route needs; every non-public route must declare it (the guard enforces that). */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(permissionKey, permission),
    ApiBearerAuth(bearerSchemeName),
    ApiUnauthorizedResponse({
      description: 'missing, unknown or revoked API key (problem+json `unauthorized`)',
    }),
    ApiForbiddenResponse({
      description: `the key lacks the permission \`${permission}\` or the book (problem+json \`forbidden\`)`,
    }),
  );

function actorOf(context: ExecutionContext): AuthenticatedActor {
  const request = context.switchToHttp().getRequest<KontorRequest>();
  assert(
    request.kontorActor,
    'CurrentActor/RequestContext used on a route without an authenticated key (a @Public route?)',
  );
  return request.kontorActor;
}

/** `@CurrentActor() actor: AuthenticatedActor` */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedActor => actorOf(context),
);

/** `@RequestContext() context: RequestContextValue` — for event metadata: `{ ...context.actor, correlationId }`. */
export const RequestContext = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContextValue => {
    const actor = actorOf(context);
    const request = context.switchToHttp().getRequest<KontorRequest>();
    return {
      actor: { id: actor.keyId, name: actor.name },
      correlationId: request.id,
      roles: actor.roles,
      ...(actor.books ? { books: actor.books } : {}),
    };
  },
);
