import { statfs } from 'node:fs/promises';

/**
 * Below this much free space in the SQLite data dir, `/health/ready` says not-ready: the disk is
 * (about to be) full and writes are (or soon will be) refused with 507 `insufficient-storage`.
 * Judged from the file system's free space (statfs), so the answer stays the same for as long as
 * the disk stays full, whatever the last request happened to hit.
 */
export const dataDirFreeBytesMin = 16 * 1024 * 1024;

/** A readiness check: throws while the file system of `dir` has less than `freeBytesMin` free. */
export function diskSpaceCheck(
  dir: string,
  freeBytesMin = dataDirFreeBytesMin,
): () => Promise<void> {
  return async () => {
    const stats = await statfs(dir);
    const freeBytes = stats.bavail * stats.bsize;
    if (freeBytes < freeBytesMin)
      throw new Error(
        `the disk of the data dir is full: ${freeBytes} bytes free, at least ${freeBytesMin} needed; free space (writes answer 507 until then)`,
      );
  };
}
