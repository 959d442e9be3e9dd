import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChaos, sleep } from '../bench/system/chaos-run';
import { FlexcordProcesses } from '../bench/system/flexcord-processes';
import { addUsers, bringToAgents, type Fakes, startFakes } from '../bench/system/world';
import { freePort } from './support/free-port';
import { testEnv } from './support/global-fixtures';
import { uniqueTaskQueue } from './support/worker';

/*
 * The short chaos run (`npm run chaos` is the long one): flexcord's roles as separate processes, the worker killed
 * with SIGKILL in the middle of a conversation's traffic and started again, as a crash and its supervisor would.
 * Counted at the Discord and Twilio fakes, every message arrives exactly once and in order.
 */
describe('chaos (short): a worker killed mid-relay', function () {
  this.timeout(240_000);
  let dir: string;
  let fakes: Fakes | undefined;
  let flexcord: FlexcordProcesses | undefined;

  afterEach(async function () {
    await flexcord?.stop().catch(() => flexcord?.kill());
    await fakes?.stop();
    if (this.currentTest?.state === 'failed') console.error(`role logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });

  it('relays 50 messages exactly once and in order while the worker is killed and restarted', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-chaos-test-'));
    const httpPort = await freePort();
    fakes = await startFakes({ webhooksBaseUrl: `http://127.0.0.1:${httpPort}` });
    flexcord = new FlexcordProcesses({
      discord: fakes.discord,
      twilio: fakes.twilio,
      guildId: fakes.guildId,
      temporalAddress: testEnv().address,
      dataDir: path.join(dir, 'data'),
      logDir: path.join(dir, 'logs'),
      httpPort,
      taskQueue: uniqueTaskQueue('chaos'),
    });
    await flexcord.start();
    const conversations = await bringToAgents(fakes, addUsers(fakes, 5, 'chaos-user-'));
    const worker = flexcord.worker;
    const result = await runChaos({
      fakes,
      flexcord,
      temporalAddress: testEnv().address,
      conversations,
      messages: 50,
      phases: [
        {
          fault: 'worker killed',
          seconds: 10,
          faultAfterSeconds: 3,
          inject: async () => {
            await worker.kill();
            await sleep(1000);
            await worker.start();
          },
        },
      ],
      quietMs: 60_000,
    });
    assert.equal(worker.starts, 2, 'the worker was killed and started again');
    assert.deepEqual(
      { messages: result.total.messages, lost: result.total.lost, duplicated: result.total.duplicated },
      { messages: 50, lost: 0, duplicated: 0 },
    );
    assert.equal(result.total.outOfOrder, 0);
  });
});
