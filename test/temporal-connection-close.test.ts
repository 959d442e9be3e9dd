import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testEnv } from './support/global-fixtures';

const root = path.resolve(__dirname, '..');
const run = promisify(execFile);

/*
 * The Temporal client retries a failed call after a timer, and closing its connection does not cancel that timer:
 * when it fires, gRPC throws "Channel has been shut down" from inside the timer, where nothing can catch it, and
 * the process dies with exit code 1 after a clean stop (seen in CI: `flexcord sandbox` stopped while a call was
 * being retried). The child below makes the first attempt of a call fail as UNAVAILABLE, so a retry is pending,
 * and closes the connection then.
 */
const script = (address: string) => `
  require('tsx/cjs');
  const grpc = require('@grpc/grpc-js');
  const { Connection, makeGrpcRetryInterceptor, defaultGrpcRetryOptions } = require('@temporalio/client');
  const { closeTemporalConnection } = require('./src/temporal/close-connection.ts');
  (async () => {
    let failFirst = false;
    let connection;
    const closing = new Promise((resolve) => {
      // Inside the retry interceptor: the first attempt answers UNAVAILABLE, and the connection closes before the retry.
      const firstAttemptUnavailable = (options, nextCall) =>
        new grpc.InterceptingCall(nextCall(options), {
          start(metadata, listener, next) {
            next(metadata, {
              onReceiveStatus(status, nextStatus) {
                if (!failFirst) return nextStatus(status);
                failFirst = false;
                nextStatus({ code: grpc.status.UNAVAILABLE, details: 'test: try again', metadata: status.metadata });
                setImmediate(() => resolve(closeTemporalConnection(connection)));
              },
            });
          },
        });
      Connection.connect({
        address: ${JSON.stringify(address)},
        interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), firstAttemptUnavailable],
      }).then((c) => {
        connection = c;
        failFirst = true;
        c.workflowService.getSystemInfo({}).catch(() => undefined);
      });
    });
    await closing;
    // Long enough for the retry's timer (100 ms and jitter) to fire.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    console.log('exited cleanly');
  })();
`;

describe('closing the Temporal client connection', function () {
  this.timeout(60_000);

  it('ends the process cleanly while a call is waiting to be retried', async () => {
    const address = testEnv().address;
    const outcome = await run(process.execPath, ['-e', script(address)], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    assert.doesNotMatch(outcome.stderr, /Channel has been shut down/);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /exited cleanly/);
  });
});
