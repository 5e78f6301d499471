import type { KurrentDBClient } from '@kurrent/kurrentdb-client';

/** The part of the KurrentDB client the adapter uses (a fake stands in for it in unit specs). */
export type KurrentClient = Pick<
  KurrentDBClient,
  | 'appendToStream'
  | 'readStream'
  | 'readAll'
  | 'subscribeToAll'
  | 'setStreamMetadata'
  | 'getStreamMetadata'
  | 'dispose'
>;
