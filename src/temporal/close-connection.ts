import { type Connection } from '@temporalio/client';

/*
 * The Temporal client retries a failed call after a timer, and `Connection.close()` does not cancel it: when the
 * timer fires after the close, gRPC throws "Channel has been shut down" from inside the timer, where no caller can
 * catch it, and a process that had stopped cleanly dies with exit code 1 and a stack trace. The call it retried
 * belonged to work that has already been stopped, so that one error, from that one place, is dropped; any other
 * uncaught error still ends the process as Node would.
 */
let guarded = false;

/** Closes a Temporal client connection at the end of a process's life. */
export async function closeTemporalConnection(connection: Connection): Promise<void> {
  guardRetriesAfterClose();
  await connection.close();
}

function guardRetriesAfterClose(): void {
  if (guarded) return;
  guarded = true;
  process.on('uncaughtException', (err) => {
    if (isRetryAfterClose(err)) return;
    // What Node does without a listener: the error on stderr, exit code 1.
    console.error(err);
    process.exit(1);
  });
}

function isRetryAfterClose(err: unknown): boolean {
  return (
    err instanceof Error && err.message === 'Channel has been shut down' && /grpc-retry/.test(err.stack ?? '')
  );
}
