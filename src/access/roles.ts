/**
 * The role vocabulary and who counts as one person, pure: the one part of the access module that other modules' pure
 * domains may import (index.ts pulls in NestJS). See .dependency-cruiser.js.
 */
export { isRole, permissions, rolePermissions, roles, rolesGrant } from './domain/permissions.js';
export type { Permission, Role } from './domain/permissions.js';
export { personOf, samePerson } from './domain/person.js';
