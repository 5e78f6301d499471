import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { ApiKeyService, IssueApiKeyInput, IssuedApiKey, RevokedApiKey } from './api-key.service.js';

/**
 * The access module's messages on the @nestjs/cqrs CommandBus (what its controller sends), as
 * every module's writes go (ADR 0006). The handlers are the bus's door to `ApiKeyService`, which
 * the start-up (the first admin key, before the bus runs) and the CLI also use.
 */
export class IssueApiKeyCommand extends Command<IssuedApiKey> {
  constructor(
    readonly input: IssueApiKeyInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class RevokeApiKeyCommand extends Command<RevokedApiKey> {
  constructor(
    readonly keyId: string,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand> {
  constructor(private readonly service: ApiKeyService) {}

  execute({ input, metadata }: IssueApiKeyCommand): Promise<IssuedApiKey> {
    return this.service.issue(input, metadata);
  }
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(private readonly service: ApiKeyService) {}

  execute({ keyId, metadata }: RevokeApiKeyCommand): Promise<RevokedApiKey> {
    return this.service.revoke(keyId, metadata);
  }
}
