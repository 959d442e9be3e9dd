import assert from 'node:assert/strict';
import { renderMessage } from '../src/activities/discord/render-message';
import { fileReport } from '../src/cases/report-client';
import { en } from '../src/shared/i18n/catalog-en';
import { CATALOGS, LOCALES, localeFromDiscord, pickLocale, t } from '../src/shared/i18n/translate';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../src/temporal/support-client';
import { ArticleIndex } from '../src/kb/search-index';
import { loadArticles } from '../src/kb/load-articles';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { FakeSupportWorld } from './fakes/support-activities';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { flexcordForEachTest } from './support/e2e/flexcord-per-test';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';
import path from 'node:path';
import { triageUpdate } from '../src/shared/report-messages';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("the user's language", function () {
  this.timeout(120_000);

  describe('message catalogs', () => {
    const baseKeys = [...new Set(Object.keys(en).map((k) => k.replace(PLURAL, '')))];

    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      it(`${locale} has every message, in each plural form the language uses, with the same placeholders`, () => {
        const catalog = CATALOGS[locale];
        const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        const missing: string[] = [];
        const mismatched: string[] = [];
        for (const key of baseKeys) {
          const englishForms = Object.keys(en).filter((k) => k === key || k.replace(PLURAL, '') === key);
          const english = placeholders(en[englishForms[0] as keyof typeof en]);
          const plural = englishForms.some((k) => PLURAL.test(k));
          // A message may have one text for every count in one language and plural forms in another.
          const pluralHere = plural || forms.every((f) => catalog[`${key}_${f}`] !== undefined);
          const wanted = pluralHere && catalog[key] === undefined ? forms.map((f) => `${key}_${f}`) : [key];
          for (const k of wanted) {
            const text = catalog[k];
            if (text === undefined) missing.push(k);
            else if (placeholders(text).join() !== english.join()) mismatched.push(k);
          }
        }
        assert.deepEqual(missing, []);
        assert.deepEqual(mismatched, []);
        const extra = Object.keys(catalog).filter((k) => !baseKeys.includes(k.replace(PLURAL, '')));
        assert.deepEqual(extra, [], 'no key English does not have');
      });
    }

    it("maps Discord's locales onto flexcord's languages, the interaction's first, then the server's", () => {
      assert.equal(localeFromDiscord('es-ES'), 'es');
      assert.equal(localeFromDiscord('es-419'), 'es');
      assert.equal(localeFromDiscord('ro'), 'ro');
      assert.equal(localeFromDiscord('en-GB'), 'en');
      assert.equal(localeFromDiscord('fr'), undefined);
      assert.equal(pickLocale('fr', 'ro'), 'ro');
      assert.equal(pickLocale(undefined, null), 'en');
    });

    it("chooses plural forms by each language's rules and never interpolates what users wrote", () => {
      assert.equal(
        t('ro', 'support.expectedWait', { count: 1 }),
        'Timp de așteptare estimat: încă aproximativ 1 minut.',
      );
      assert.match(t('ro', 'support.expectedWait', { count: 5 }), / 5 minute\.$/);
      assert.match(t('ro', 'support.expectedWait', { count: 25 }), / 25 de minute\.$/);
      assert.match(t('es', 'support.expectedWait', { count: 2 }), /2 minutos más/);
      assert.equal(t('en', 'support.expectedWait', { count: 1 }), 'Expected wait: about 1 more minute.');
      assert.equal(
        t('es', 'discord.agentMessage', { agentName: 'Ana', text: '{{x}} $t(support.greeting)' }),
        '**Ana** (soporte): {{x}} $t(support.greeting)',
      );
    });

    it('renders buttons and the agent line in the conversation’s language', () => {
      const [body] = renderMessage({
        channel: { channelId: '1', kind: 'dm' },
        dedupeKey: 'k',
        kind: 'agent_message',
        text: 'Hola',
        agentName: 'Sam',
        buttons: ['request_human', 'close'],
        locale: 'ro',
      });
      assert.equal(body!.content, '**Sam** (suport): Hola');
      const labels = JSON.stringify(body!.components);
      assert.match(labels, /Vorbește cu o persoană/);
      assert.match(labels, /Închide/);
    });
  });

  it('prefers knowledge-base articles in the user’s language, and falls back to any language', async () => {
    const { articles } = await loadArticles(path.resolve(__dirname, '..', 'knowledge-base'));
    const index = new ArticleIndex(articles);
    assert.equal(index.search('olvidé mi contraseña', 3, 'es')[0]?.id, 'es/restablecer-contrasena.md');
    assert.equal(index.search('am uitat parola', 3, 'ro')[0]?.id, 'ro/resetare-parola.md');
    assert.equal(index.search('I forgot my password', 3, 'en')[0]?.id, 'account/reset-password.md');
    // No Spanish article about guilds: the English one beats no answer.
    assert.equal(index.search('how do guilds work', 3, 'es')[0]?.id, 'gameplay/guilds.md');
    assert.ok(
      index.search('I forgot my password').every((h) => !h.id.startsWith('es/') && !h.id.startsWith('ro/')),
    );
  });

  it('keeps a conversation in the language it started in: greeting, answers, a request for a person in that language, and the Flex task', async () => {
    const world = new FakeSupportWorld({
      search: (query) =>
        /contraseña/.test(query)
          ? [
              {
                id: 'es/restablecer-contrasena.md',
                title: 'Restablecer',
                excerpt: '',
                url: 'https://x/y',
                score: 20,
              },
            ]
          : [],
    });
    const searched: unknown[] = [];
    const activities = world.activities();
    const original = activities.searchKnowledgeBase;
    activities.searchKnowledgeBase = async (input) => {
      searched.push(input);
      return original(input);
    };
    const input = { ...newSupportInput(), locale: 'es' as const };
    const { client } = testEnv();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('olvidé mi contraseña') });
      await sendUserMessage(client, {
        taskQueue,
        input,
        event: userMessage('Quiero hablar con una persona'),
      });
      await eventually(async () => {
        assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent');
        assert.equal(world.handoffs.length, 1);
      });
      await recordHistory(client, workflowId, 'support-locale-v1');
    });
    const [greeting, answer] = world.sent;
    assert.match(greeting!.text, /^¡Hola! Soy el bot de soporte/);
    assert.equal(greeting!.locale, 'es', 'the buttons are rendered in Spanish too');
    assert.equal(answer!.text, 'Estos artículos parecen responder a tu pregunta:');
    assert.deepEqual(searched[0], { query: 'olvidé mi contraseña', limit: 3, locale: 'es' });
    assert.equal(searched.length, 1, 'the request for a person is not searched');
    assert.ok(world.sent.some((m) => /^Caso #\d+ abierto/.test(m.text)));
    assert.equal(world.handoffs[0]!.taskAttributes.language, 'es');
  });

  it('tells a reporter about their report in the language they filed it in', async () => {
    const opened = await tempCaseStore();
    const { client } = testEnv();
    const { activities, sent } = reportActivities(opened.store);
    try {
      await withWorker(activities, async (taskQueue) => {
        const filed = await fileReport(client, { taskQueue, input: reportInput({ locale: 'ro' }) });
        await client.workflow
          .getHandle(filed.workflowId)
          .executeUpdate(triageUpdate, { args: [{ eventId: 't1', actor: 'api', note: 'Ne uităm.' }] });
        // The DM goes out beside the staff action, which is answered once stored.
        await eventually(() => assert.equal(sent.length, 1));
      });
      assert.match(
        sent[0]!.text,
        /^Echipa a preluat raportul tău de eroare #\d+ „Checkout button does nothing”/,
      );
      assert.match(sent[0]!.text, /Ne uităm\.$/);
    } finally {
      await opened.close();
    }
  });

  describe('end to end (real discord.js and twilio clients against the fakes)', () => {
    const flexcord = flexcordForEachTest();

    it("speaks the language of the /helpme that started the conversation, else the server's, and tells Flex", async () => {
      const discord = await flexcord.startDiscord();
      const acme = discord.addGuild('Acme');
      acme.guild.preferredLocale = 'ro';
      const ana = discord.addUser('ana', { locale: 'es-ES' }).id;
      const ion = discord.addUser('ion').id;
      discord.addMember(acme.guild.id, ana);
      discord.addMember(acme.guild.id, ion);
      const system = await flexcord.startSystem({ SUPPORT_AGENT_SLA_SECONDS: '3600' });
      const { twilio } = system;
      const fromBot = (after: FakeMessage) => (m: FakeMessage) =>
        m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(after.id);
      const labels = (m: FakeMessage) => JSON.stringify(m.components ?? []);

      // Ana's Discord is in Spanish: /helpme answers, greets and labels its buttons in Spanish.
      const helpme = await discord.waitForReply(
        discord.runSlashCommand(ana, acme.supportChannel.id, 'helpme'),
      );
      assert.match(
        FakeDiscord.replyText(helpme),
        /He abierto una conversación de soporte privada en tus mensajes directos/,
      );
      const dm = discord.dmChannelFor(ana);
      const greeting = await discord.waitForMessage(dm.id, (m) => /Soy el bot de soporte/.test(m.content));
      assert.match(labels(greeting), /Hablar con una persona/);
      const question = discord.userSendsDm(ana, 'Olvidé mi contraseña y no puedo entrar');
      const answer = await discord.waitForMessage(
        dm.id,
        (m) => fromBot(question)(m) && (m.embeds?.length ?? 0) > 0,
      );
      assert.match(answer.content, /Estos artículos parecen responder/);
      assert.equal(answer.embeds![0]!.title, 'Restablecer tu contraseña');
      const press = await discord.waitForReply(discord.pressButton(ana, answer, 'fc:request_human'));
      assert.match(FakeDiscord.replyText(press), /Estamos llamando a una persona/);
      await discord.waitForMessage(dm.id, (m) => /^Caso #\d+ abierto/.test(m.content));
      const task = await eventually(() => {
        const found = [...twilio.tasks.values()].find(
          (x) => x.attributes.flexcordWorkflowId === supportWorkflowId(acme.guild.id, ana),
        );
        assert.ok(found);
        return found;
      });
      assert.equal(task.attributes.language, 'es', 'Flex can route by language');

      // Ion writes a DM first: no interaction, so the server's language (Romanian) it is.
      const ionDm = discord.dmChannelFor(ion);
      const asked = discord.userSendsDm(ion, 'Am uitat parola');
      const reply = await discord.waitForMessage(
        ionDm.id,
        (m) => fromBot(asked)(m) && (m.embeds?.length ?? 0) > 0,
      );
      assert.match(reply.content, /Aceste articole par să răspundă/);
      assert.equal(reply.embeds![0]!.title, 'Resetarea parolei');
    });
  });
});
