#!/bin/sh
# Creates the namespace and the custom search attributes flexcord's workflows set (see
# src/shared/search-attributes.ts; test/compose.test.ts checks that both lists agree).
set -eu
NS="${DEFAULT_NAMESPACE:-default}"
ADDR="${TEMPORAL_ADDRESS:-temporal:7233}"

until temporal operator cluster health --address "$ADDR"; do sleep 2; done
temporal operator namespace describe -n "$NS" --address "$ADDR" >/dev/null 2>&1 ||
  temporal operator namespace create -n "$NS" --address "$ADDR"

add() {
  temporal operator search-attribute create -n "$NS" --address "$ADDR" --name "$1" --type "$2" ||
    echo "search attribute $1 exists"
}
add SupportPhase Keyword
add CaseNumber Int
add CaseType Keyword
add CaseStatus Keyword
add DiscordUserId Keyword
add GuildId Keyword
add AgentIdentity Keyword
add TwilioConversationSid Keyword
echo "namespace $NS is ready"
