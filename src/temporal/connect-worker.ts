import { NativeConnection } from '@temporalio/worker';
import { TemporalUnreachableError, type TemporalTarget } from './connect';

/*
 * Apart from connect.ts because @temporalio/worker takes about a second and a half to load: the worker role needs
 * it, the command-line tools that only talk to Temporal as a client do not.
 */
export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(target.connectionOptions);
  } catch (err) {
    throw new TemporalUnreachableError(target, err);
  }
}
