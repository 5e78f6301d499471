import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AssertionFailed } from '../../event-sourcing/index.js';
import { routeAccess } from './auth.guard.js';

/**
 * Refuses to start when a route declares neither `@Public()` nor `@RequirePermission()`, so a
 * forgotten declaration is found at boot, not by an attacker. (The guard checks again per call.)
 */
@Injectable()
export class RouteDeclarationCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const undeclared = this.undeclaredRoutes();
    if (undeclared.length > 0) {
      throw new AssertionFailed(
        `routes without @Public() or @RequirePermission(): ${undeclared.join(', ')}`,
      );
    }
  }

  undeclaredRoutes(): string[] {
    const undeclared: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const access = routeAccess(this.reflector, [handler, controller]);
        if (!access.isPublic && !access.permission) undeclared.push(`${controller.name}.${name}`);
      }
    }
    return undeclared;
  }
}
