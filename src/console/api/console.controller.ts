import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../access/access.module.js';
import { NotFoundError } from '../../event-sourcing/index.js';
import { ConsoleAsset, loadConsoleAssets, loadVendorScripts } from './console-assets.js';
import { consoleContentSecurityPolicy } from './console-policy.js';

/**
 * `GET /console`: the console's page and its static files. Public: they hold no data; the page
 * asks for an API key and sends it with each API request (Authorization header), the same API
 * every other client uses.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly assets: Map<string, ConsoleAsset> = new Map([
    ...loadConsoleAssets(),
    ...loadVendorScripts(),
  ]);

  @Get()
  @Public()
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  /** `/console/` is the page too; `/console/assets/<file>` the files it loads, `/console/vendor/<package>.js` the chart library. */
  @Get('*')
  @Public()
  asset(@Param('*') path: string, @Res() reply: FastifyReply): void {
    if (path === '') return this.send(reply, 'index.html');
    if (path.startsWith('vendor/')) return this.send(reply, path);
    const file = path.startsWith('assets/') ? path.slice('assets/'.length) : undefined;
    if (file === undefined || file === 'index.html')
      throw new NotFoundError(`the console has no file ${path}`);
    this.send(reply, file);
  }

  private send(reply: FastifyReply, path: string): void {
    const asset = this.assets.get(path);
    if (!asset) throw new NotFoundError(`the console has no file ${path}`);
    void reply
      .header('content-type', asset.contentType)
      .header('content-security-policy', consoleContentSecurityPolicy)
      .header('cache-control', 'no-cache')
      .header('referrer-policy', 'no-referrer')
      .send(asset.body);
  }
}
