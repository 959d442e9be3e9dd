import { type Logger } from 'pino';
import { type ActivityDeps } from '../activities';
import { type Config } from '../config';
import { openCaseStore } from '../cases';
import { buildDiscordPort } from '../activities/discord/build-discord-port';
import { buildFlexPort } from '../activities/twilio/build-flex-port';
import { buildCustomerMedia } from '../activities/media/build-customer-media';
import { buildFlexRevisions } from '../activities/revisions/flex-revisions';
import { createTwilioClient } from '../activities/twilio/twilio-client';
import { TwilioMediaContent, type MediaContentSource } from '../webhooks/media/twilio-media-content';
import { FileKnowledgeBase } from '../activities/kb/file-knowledge-base';
import { RssFeedReader } from '../activities/feeds/rss-feed-reader';
import { SqlFeedLedger } from '../activities/feeds/sql-feed-ledger';
import { type Observability } from '../observability';
import { SqlConversationLedger } from '../analytics/sql-conversation-ledger';

/**
 * The one place where real adapters (Discord REST, Twilio, the case store, the knowledge base) are built from
 * config for the worker. Tests build ActivityDeps from fakes instead.
 */
export async function buildActivityDeps(
  config: Config,
  logger: Logger,
  workerIdentity: string,
  observability?: Observability,
): Promise<{ deps: ActivityDeps; close(): Promise<void> }> {
  const discord = buildDiscordPort(config.discord, logger, observability?.observeDiscordRest);
  const flex = buildFlexPort(config, logger, { observe: observability?.twilioCalls });
  const cases = await openCaseStore(config);
  logger.info({ caseStore: cases.database.location }, 'case store ready');
  let knowledgeBase: FileKnowledgeBase | undefined;
  let feedLedger: SqlFeedLedger;
  try {
    knowledgeBase = await FileKnowledgeBase.open({ dir: config.kb.dir, watch: true, logger });
    // The feed ledger shares the case store's database (its own tables and migration history).
    feedLedger = await SqlFeedLedger.open(cases.database.db);
  } catch (err) {
    // A failed start must not leave the database connection or the folder watcher open behind it.
    await knowledgeBase?.close();
    await cases.close();
    throw err;
  }
  const feedReader = new RssFeedReader({ allowedPrivateRanges: config.feeds.allowedPrivateRanges });
  return {
    deps: {
      workerIdentity,
      discord,
      flex,
      customerMedia: buildCustomerMedia(config, { observe: observability?.twilioCalls }),
      flexRevisions: buildFlexRevisions(config, { observe: observability?.twilioCalls }),
      caseStore: cases.store,
      knowledgeBase,
      // Conversation milestones for `flexcord stats` live beside the cases (migration 0004).
      conversationLedger: new SqlConversationLedger(cases.database.db),
      feedReader,
      feedLedger,
    },
    close: async () => {
      await feedReader.close();
      await knowledgeBase.close();
      await cases.close();
    },
  };
}

/**
 * Twilio's Media Content Service for the webhooks role's media links, or undefined without credentials. MCS takes
 * the same account credentials as the REST API.
 */
export function buildMediaContentSource(
  config: Pick<Config, 'twilio'>,
  observability?: Observability,
): MediaContentSource | undefined {
  const t = config.twilio;
  if (!t.accountSid || !(t.authToken || (t.apiKey && t.apiSecret))) return undefined;
  return new TwilioMediaContent(
    createTwilioClient(
      {
        accountSid: t.accountSid,
        authToken: t.authToken,
        apiKey: t.apiKey,
        apiSecret: t.apiSecret,
        apiBaseUrl: t.apiBaseUrl,
      },
      { observe: observability?.twilioCalls },
    ),
  );
}
