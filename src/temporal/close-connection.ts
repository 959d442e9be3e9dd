import { type Connection } from '@temporalio/client';

/** Closes a Temporal client connection at the end of a process's life. */
export async function closeTemporalConnection(connection: Connection): Promise<void> {
  await connection.close();
}
