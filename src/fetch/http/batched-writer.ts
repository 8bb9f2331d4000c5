// Writing a download to disk while it is still arriving: chunks queue while one writev
// runs, so the socket is not left idle for each disk round trip.
import type { FileHandle } from 'node:fs/promises';

/** Past this many bytes waiting for the disk, reading from the network pauses. */
const MAX_QUEUED_BYTES = 16 << 20;

/**
 * Writes chunks with one writev in flight while the next ones arrive: awaiting a write
 * per network chunk (64 KiB) left the socket idle for each disk round trip.
 */
export function batchedWriter(fh: FileHandle) {
  let queue: Buffer[] = [];
  let queued = 0;
  let inFlight: Promise<void> | undefined;
  let failed: unknown;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      queued = 0;
      await fh.writev(batch);
    }
  };
  const start = (): void => {
    if (inFlight || queue.length === 0) return;
    inFlight = drain()
      .catch((err: unknown) => {
        failed = err;
      })
      .finally(() => {
        inFlight = undefined;
      });
  };
  return {
    /** Queues a chunk; true when the reader should pause until drained(). */
    push(chunk: Buffer): boolean {
      if (failed) throw failed;
      queue.push(chunk);
      queued += chunk.length;
      start();
      return queued > MAX_QUEUED_BYTES;
    },
    async drained(): Promise<void> {
      while (inFlight && queued > MAX_QUEUED_BYTES) await inFlight;
      if (failed) throw failed;
    },
    async flush(): Promise<void> {
      while (inFlight || queue.length > 0) {
        start();
        await inFlight;
      }
      if (failed) throw failed;
    },
    /** Waits for a write still running (after an error) so the file can be closed. */
    async settle(): Promise<void> {
      queue = [];
      await inFlight;
    },
  };
}
