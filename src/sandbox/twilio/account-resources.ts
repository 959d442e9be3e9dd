import { newSid } from './sids';

/*
 * The account's fixed set-up as Twilio shows it: the Flex workspace, its workflow and task channels, and the
 * Conversations service. Read by `flexcord doctor` to check the configured SIDs; nothing in the fake changes them.
 */

export interface TaskChannel {
  sid: string;
  uniqueName: string;
  friendlyName: string;
}

/** The task channels a Flex workspace comes with. */
export function flexTaskChannels(): TaskChannel[] {
  return ['default', 'voice', 'chat', 'sms', 'video', 'email'].map((uniqueName) => ({
    sid: newSid('TC'),
    uniqueName,
    friendlyName: uniqueName === 'sms' ? 'SMS' : uniqueName[0]!.toUpperCase() + uniqueName.slice(1),
  }));
}

const TASKROUTER = 'https://taskrouter.twilio.com/v1';
const created = new Date(0).toISOString();

export function workspaceJson(accountSid: string, sid: string) {
  const url = `${TASKROUTER}/Workspaces/${sid}`;
  return {
    account_sid: accountSid,
    sid,
    friendly_name: 'Flex Task Assignment',
    date_created: created,
    date_updated: created,
    default_activity_name: 'Offline',
    default_activity_sid: null,
    event_callback_url: null,
    events_filter: null,
    multi_task_enabled: true,
    timeout_activity_name: 'Offline',
    timeout_activity_sid: null,
    prioritize_queue_order: 'FIFO',
    url,
    links: { workflows: `${url}/Workflows`, task_channels: `${url}/TaskChannels` },
  };
}

export function workflowJson(accountSid: string, workspaceSid: string, sid: string) {
  const url = `${TASKROUTER}/Workspaces/${workspaceSid}/Workflows/${sid}`;
  return {
    account_sid: accountSid,
    workspace_sid: workspaceSid,
    sid,
    friendly_name: 'Assign to Anyone',
    assignment_callback_url: null,
    fallback_assignment_callback_url: null,
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: {} } }),
    document_content_type: 'application/json',
    task_reservation_timeout: 120,
    date_created: created,
    date_updated: created,
    url,
    links: { statistics: `${url}/Statistics` },
  };
}

export function taskChannelJson(accountSid: string, workspaceSid: string, c: TaskChannel) {
  return {
    account_sid: accountSid,
    workspace_sid: workspaceSid,
    sid: c.sid,
    unique_name: c.uniqueName,
    friendly_name: c.friendlyName,
    channel_optimized_routing: null,
    date_created: created,
    date_updated: created,
    url: `${TASKROUTER}/Workspaces/${workspaceSid}/TaskChannels/${c.sid}`,
    links: {},
  };
}

export function conversationsServiceJson(accountSid: string, sid: string) {
  const url = `https://conversations.twilio.com/v1/Services/${sid}`;
  return {
    account_sid: accountSid,
    sid,
    friendly_name: 'Flex Conversations',
    date_created: created,
    date_updated: created,
    url,
    links: { conversations: `${url}/Conversations` },
  };
}
