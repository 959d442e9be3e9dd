import fs from 'node:fs';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'replay', 'histories');

/**
 * When RECORD_HISTORIES=1, saves a finished workflow's history for the replay suite. Run it once after a
 * deliberate workflow change: `RECORD_HISTORIES=1 npx mocha test/<file>.test.ts`. Never overwrites a saved history,
 * since old histories are exactly what must keep replaying.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  if (fs.existsSync(file)) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(file, historyToJSON(history));
}

export function loadSavedHistories(): { workflowId: string; history: ReturnType<typeof historyFromJSON> }[] {
  if (!fs.existsSync(HISTORIES_DIR)) return [];
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      workflowId: path.basename(f, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8'))),
    }));
}
