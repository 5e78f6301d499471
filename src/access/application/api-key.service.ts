import { CommandMetadata, EventStore, assert, handleCommand } from '../../event-sourcing/index.js';
import { ApiKeyCommand } from '../domain/api-key.commands.js';
import { apiKeysStreamId } from '../domain/api-key.events.js';
import { apiKeysDecider } from '../domain/api-keys.decider.js';
import { Role } from '../domain/permissions.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { generateApiKey, hashApiKey, keyVerifier, newKeyId } from './api-key-secrets.js';

export interface IssueApiKeyInput {
  name: string;
  roles: string[];
  books?: string[];
}

export interface IssuedApiKey {
  id: string;
  /** The secret: shown once, never stored. */
  key: string;
  name: string;
  roles: Role[];
  books?: string[];
  position: bigint;
}

export interface RevokedApiKey {
  id: string;
  revoked: true;
  position: bigint;
}

export interface IssueOptions {
  /** A given secret (the bootstrap KONTOR_ADMIN_KEY) instead of a generated one. */
  secret?: string;
  /** `no_stream` for the bootstrap: only the first instance to start registers its admin key. */
  expectedRevision?: 'no_stream';
}

/** Issues and revokes API keys: decide against the registry, append, fold the result back in. */
export class ApiKeyService {
  constructor(
    private readonly store: EventStore,
    private readonly registry: ApiKeyRegistry,
  ) {}

  async issue(
    input: IssueApiKeyInput,
    metadata: CommandMetadata,
    options: IssueOptions = {},
  ): Promise<IssuedApiKey> {
    const key = options.secret ?? generateApiKey();
    const command: ApiKeyCommand = {
      type: 'IssueApiKey',
      keyId: newKeyId(),
      name: input.name,
      roles: input.roles,
      ...(input.books !== undefined ? { books: input.books } : {}),
      keyHash: hashApiKey(key),
      keyVerifier: keyVerifier(this.pepperOrFail(), key),
    };
    const position = await this.execute(command, metadata, options.expectedRevision);
    const issued = this.registry.current.keys.get(command.keyId)!;
    return {
      id: issued.keyId,
      key,
      name: issued.name,
      roles: issued.roles,
      ...(issued.books ? { books: issued.books } : {}),
      position,
    };
  }

  private pepperOrFail(): Buffer {
    assert(this.registry.pepper, 'API keys are issued only on a store with a key pepper');
    return this.registry.pepper;
  }

  async revoke(keyId: string, metadata: CommandMetadata): Promise<RevokedApiKey> {
    const position = await this.execute({ type: 'RevokeApiKey', keyId }, metadata);
    return { id: keyId, revoked: true, position };
  }

  private async execute(
    command: ApiKeyCommand,
    metadata: CommandMetadata,
    expectedRevision?: 'no_stream',
  ): Promise<bigint> {
    const load = async () => {
      await this.registry.catchUp();
      return { state: this.registry.current, revision: this.registry.revision };
    };
    const appended = await handleCommand(
      this.store,
      { streamId: apiKeysStreamId, load, decide: apiKeysDecider.decide },
      command,
      metadata,
      expectedRevision === undefined ? {} : { expectedRevision },
    );
    assert(appended !== undefined, `${command.type} decided no event`);
    await this.registry.catchUp();
    return appended.lastPosition;
  }
}
