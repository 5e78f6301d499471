import { gunzipSync, gzipSync } from 'node:zlib';
import type { JSONType } from '@kurrent/kurrentdb-client';
import type { Snapshot } from '../../event-sourcing/index.js';

/** A snapshot state of more JSON bytes than this is stored gzipped (one append takes at most `MaxAppendSize`, 1 MiB by default). */
export const snapshotPlainBytesMax = 64 * 1024;

type SnapshotData = {
  revision: number;
  state?: unknown;
  /** base64 of the gzipped JSON of the state */
  gzip?: string;
};

/** The data of a snapshot event: the state as it is, or gzipped when it is large. */
export function toSnapshotData(snapshot: Snapshot): JSONType {
  const stateJson = JSON.stringify(snapshot.state);
  const data: SnapshotData =
    Buffer.byteLength(stateJson) > snapshotPlainBytesMax
      ? { revision: snapshot.revision, gzip: gzipSync(stateJson).toString('base64') }
      : { revision: snapshot.revision, state: snapshot.state };
  return data;
}

export function fromSnapshotData<State>(streamId: string, stored: unknown): Snapshot<State> {
  const data = stored as SnapshotData;
  const state =
    data.gzip !== undefined
      ? JSON.parse(gunzipSync(Buffer.from(data.gzip, 'base64')).toString('utf8'))
      : data.state;
  return { streamId, revision: data.revision, state: state as State };
}
