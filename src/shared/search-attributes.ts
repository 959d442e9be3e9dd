import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that let operators find a conversation in the Temporal Web UI,
 * e.g. `SupportPhase = "waiting_for_agent" AND GuildId = "123"`. The embedded dev server registers them at start;
 * a production cluster needs them created once (see README).
 */
export const SupportPhaseKey = defineSearchAttributeKey('SupportPhase', SearchAttributeType.KEYWORD);
export const CaseNumberKey = defineSearchAttributeKey('CaseNumber', SearchAttributeType.INT);
export const CaseTypeKey = defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD);
export const CaseStatusKey = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const DiscordUserIdKey = defineSearchAttributeKey('DiscordUserId', SearchAttributeType.KEYWORD);
export const GuildIdKey = defineSearchAttributeKey('GuildId', SearchAttributeType.KEYWORD);
export const AgentIdentityKey = defineSearchAttributeKey('AgentIdentity', SearchAttributeType.KEYWORD);
export const TwilioConversationSidKey = defineSearchAttributeKey(
  'TwilioConversationSid',
  SearchAttributeType.KEYWORD,
);

export const ALL_SEARCH_ATTRIBUTES = [
  SupportPhaseKey,
  CaseNumberKey,
  CaseTypeKey,
  CaseStatusKey,
  DiscordUserIdKey,
  GuildIdKey,
  AgentIdentityKey,
  TwilioConversationSidKey,
];
