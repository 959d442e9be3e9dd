import { type Twilio } from 'twilio';
import { createTwilioClient } from '../../activities/twilio/twilio-client';
import { type CheckOutcome, type CheckResult, fail, pass, runCheck, skip } from '../check';
import { type DoctorContext } from '../context';
import { errorSummary } from '../report';

/*
 * The Twilio credentials and each SID flexcord hands conversations to, through the client the worker uses. Twilio
 * checks credentials before it looks a resource up, so a 404 on the workspace still proves the credentials.
 */

const CONSOLE = 'Twilio Console';

export async function twilioChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const t = ctx.config.twilio;
  if (!t.accountSid || !(t.authToken || (t.apiKey && t.apiSecret))) {
    const why =
      'TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) is not set';
    return [
      { id: 'twilio.credentials', title: 'Twilio credentials', ...skip(why), ms: 0 },
      ...skipAfterCredentials('Twilio credentials'),
    ];
  }
  const client = createTwilioClient(
    {
      accountSid: t.accountSid,
      authToken: t.authToken,
      apiKey: t.apiKey,
      apiSecret: t.apiSecret,
      apiBaseUrl: t.apiBaseUrl,
    },
    { timeoutMs: ctx.timeoutMs },
  );
  const options = (fix: string) => ({
    timeoutMs: ctx.timeoutMs,
    onError: (err: unknown) => twilioFailure(err, fix),
  });
  const workspaceFix = `copy the Flex workspace's SID (WS…) from ${CONSOLE} → TaskRouter → Workspaces into TWILIO_FLEX_WORKSPACE_SID`;

  // One call answers both questions: 401 means the credentials, 404 the workspace SID.
  let workspaceName: string | undefined;
  let workspaceError: unknown;
  const credentials = await runCheck(
    'twilio.credentials',
    'Twilio credentials',
    async () => {
      try {
        if (t.workspaceSid) {
          workspaceName = (await client.taskrouter.v1.workspaces(t.workspaceSid).fetch()).friendlyName;
        } else {
          await client.conversations.v1.services.list({ limit: 1 });
        }
      } catch (err) {
        // Any answer but 401 means Twilio took the credentials; no answer at all says nothing.
        const status = (err as { status?: number }).status;
        if (status === undefined || status === 401) throw err;
        workspaceError = err;
      }
      return pass(`accepted for account ${t.accountSid}${t.apiKey ? ` (API key ${t.apiKey})` : ''}`);
    },
    options(
      'check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) in Twilio Console → Account → API keys & tokens',
    ),
  );
  if (credentials.status !== 'pass')
    return [credentials, ...skipAfterCredentials('working Twilio credentials')];

  const workspace = await runCheck(
    'twilio.workspace',
    'Twilio Flex workspace',
    async () => {
      if (!t.workspaceSid) return fail('TWILIO_FLEX_WORKSPACE_SID is not set', workspaceFix);
      if (workspaceError) throw workspaceError;
      return pass(`${workspaceName} (${t.workspaceSid})`);
    },
    options(workspaceFix),
  );
  const inWorkspace = workspace.status === 'pass' ? t.workspaceSid : undefined;
  const [workflow, taskChannel, service] = await Promise.all([
    runCheck(
      'twilio.workflow',
      'Twilio Flex workflow',
      () => workflowOutcome(client, inWorkspace, t.workflowSid),
      options(
        `copy the SID (WW…) of the workflow Flex routes chats with, from ${CONSOLE} → TaskRouter → Workspaces → Workflows, into TWILIO_FLEX_WORKFLOW_SID`,
      ),
    ),
    runCheck(
      'twilio.taskChannel',
      'Twilio task channel',
      () => taskChannelOutcome(client, inWorkspace, t.taskChannel),
      options(`set TWILIO_TASK_CHANNEL to a task channel of the workspace (Flex chat: chat)`),
    ),
    runCheck(
      'twilio.conversationsService',
      'Twilio Conversations service',
      () => serviceOutcome(client, t.conversationsServiceSid),
      options(
        `copy the SID (IS…) of the Flex Conversations service from ${CONSOLE} → Conversations → Services into TWILIO_CONVERSATIONS_SERVICE_SID, or unset it to use the account's default service`,
      ),
    ),
  ]);
  return [credentials, workspace, workflow, taskChannel, service];
}

function skipAfterCredentials(what: string): CheckResult[] {
  return (
    [
      ['twilio.workspace', 'Twilio Flex workspace'],
      ['twilio.workflow', 'Twilio Flex workflow'],
      ['twilio.taskChannel', 'Twilio task channel'],
      ['twilio.conversationsService', 'Twilio Conversations service'],
    ] as const
  ).map(([id, title]) => ({ id, title, ...skip(`needs ${what}`), ms: 0 }));
}

function twilioFailure(err: unknown, fix: string): CheckOutcome {
  const status = (err as { status?: number }).status;
  if (status === 401) return fail(`Twilio refused the credentials (${errorSummary(err)})`, fix);
  if (status === 404) return fail(`not found in this account (${errorSummary(err)})`, fix);
  return fail(
    `Twilio did not answer as expected: ${errorSummary(err)}`,
    'check that this machine reaches *.twilio.com (or TWILIO_API_BASE_URL) and try again',
  );
}

async function workflowOutcome(
  client: Twilio,
  workspaceSid: string | undefined,
  workflowSid: string | undefined,
): Promise<CheckOutcome> {
  if (!workspaceSid) return skip('needs the Flex workspace');
  if (!workflowSid)
    return fail(
      'TWILIO_FLEX_WORKFLOW_SID is not set',
      'set it to the SID (WW…) of the workflow Flex routes chats with',
    );
  const workflow = await client.taskrouter.v1.workspaces(workspaceSid).workflows(workflowSid).fetch();
  return pass(`${workflow.friendlyName} (${workflow.sid})`);
}

async function taskChannelOutcome(
  client: Twilio,
  workspaceSid: string | undefined,
  wanted: string,
): Promise<CheckOutcome> {
  if (!workspaceSid) return skip('needs the Flex workspace');
  const channels = await client.taskrouter.v1.workspaces(workspaceSid).taskChannels.list({ limit: 100 });
  const found = channels.find((c) => c.uniqueName === wanted || c.sid === wanted);
  if (found) return pass(`${found.uniqueName} (${found.sid})`);
  return fail(
    `the workspace has no task channel ${wanted} (it has ${channels.map((c) => c.uniqueName).join(', ') || 'none'})`,
    'set TWILIO_TASK_CHANNEL to one of those (Flex chat: chat)',
  );
}

async function serviceOutcome(client: Twilio, serviceSid: string | undefined): Promise<CheckOutcome> {
  if (!serviceSid) return pass("TWILIO_CONVERSATIONS_SERVICE_SID unset: the account's default service");
  const service = await client.conversations.v1.services(serviceSid).fetch();
  return pass(`${service.friendlyName} (${service.sid})`);
}
