import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  AgentIdentityKey,
  CaseNumberKey,
  DiscordUserIdKey,
  GuildIdKey,
  SupportPhaseKey,
  TwilioConversationSidKey,
} from '../../shared/search-attributes';
import type { ConversationModel } from './state';

/*
 * Makes a conversation findable and readable in the Temporal UI: typed search attributes (upserted only when they
 * change, so history does not grow for nothing) and a one-line current-details summary.
 */

const lastPublished = new WeakMap<ConversationModel, string>();

export function publishConversation(model: ConversationModel): void {
  const { phase, caseNumber, agent, flexConversation } = model.state;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: SupportPhaseKey, value: phase },
    { key: GuildIdKey, value: model.user.guildId },
    { key: DiscordUserIdKey, value: model.user.userId },
    { key: CaseNumberKey, value: caseNumber ?? null },
    { key: AgentIdentityKey, value: agent?.identity ?? null },
    { key: TwilioConversationSidKey, value: flexConversation?.conversationSid ?? null },
  ];
  const fingerprint = JSON.stringify(pairs.map((p) => p.value));
  if (lastPublished.get(model) !== fingerprint) {
    upsertSearchAttributes(pairs);
    lastPublished.set(model, fingerprint);
  }
  setCurrentDetails(describe(model));
}

/** e.g. "Case #12 · waiting_for_agent · alice (1234) in guild 987 · escalated · run 2". */
export function describe(model: ConversationModel): string {
  const { phase, caseNumber, agent, channel, escalated, run } = model.state;
  const parts = [
    caseNumber === undefined ? 'No case yet' : `Case #${caseNumber}`,
    phase,
    `${model.user.userName} (${model.user.userId}) in guild ${model.user.guildId}`,
    channel ? `via ${channel.kind} ${channel.channelId}` : 'opening a channel',
  ];
  if (agent) parts.push(`agent ${agent.name} (${agent.identity})`);
  if (escalated) parts.push('escalated');
  parts.push(`run ${run}`);
  return parts.join(' · ');
}
