import assert from 'node:assert/strict';
import { openCaseStore } from '../src/cases';
import { extensionOf, refusalFor } from '../src/activities/media/attachment-policy';
import { getConversationState } from '../src/temporal/support-client';
import { eventually } from './support/e2e/flexcord-system';
import {
  acmeWithAna,
  botMessagesAfter,
  flexcordForEachTest,
  handedToFlexThroughDiscord,
} from './support/e2e/flexcord-per-test';
import { recordHistory } from './support/histories';

const LIMITS = { maxBytes: 1000, extensions: ['png', 'pdf', 'txt'] };

describe("customers' files reach Flex as media", function () {
  this.timeout(120_000);

  it('refuses before any download what Flex would not take: an extension it does not accept, or too many bytes', () => {
    assert.equal(extensionOf('Report.PDF'), 'pdf');
    assert.equal(extensionOf('no-extension'), '');
    assert.equal(refusalFor({ url: 'u', name: 'a.png', size: 1000 }, LIMITS), undefined);
    assert.equal(refusalFor({ url: 'u', name: 'a.png', size: 1001 }, LIMITS), 'too_large');
    assert.equal(refusalFor({ url: 'u', name: 'setup.exe', size: 10 }, LIMITS), 'type_not_accepted');
    assert.equal(refusalFor({ url: 'u', name: 'README', size: 10 }, LIMITS), 'type_not_accepted');
  });

  describe('end to end (Discord fake → worker → Twilio fake)', () => {
    const flexcord = flexcordForEachTest();

    it('uploads each file to the Media Content Service and posts it as its own message after the text, keeps the Twilio reference in the transcript, and tells the user plainly about refused files', async () => {
      const discord = await flexcord.startDiscord();
      const { acme, ana } = acmeWithAna(discord);
      const system = await flexcord.startSystem({
        FLEX_MEDIA_MAX_BYTES: '2048',
        SUPPORT_AGENT_SLA_SECONDS: '3600',
      });
      const { twilio, ctx } = system;
      const dm = discord.dmChannelFor(ana);
      const fromBot = botMessagesAfter(discord);

      // To an agent: /helpme, ask for a person, the agent accepts.
      const { workflowId, conversationSid } = await handedToFlexThroughDiscord(discord, system, acme, ana, {
        agent: { identity: 'sam', name: 'Sam Agent' },
      });

      // Text and two files in one Discord message: Flex gets the text, then one media message per file.
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const sent = discord.userSendsDm(ana, 'Here is the error', [
        { filename: 'error.png', contentType: 'image/png', content: png },
        { filename: 'log.txt', contentType: 'text/plain', content: 'crash at 12:01' },
      ]);
      const conversation = twilio.conversation(conversationSid);
      const isCustomer = (author: string) => author.startsWith('discord:');
      await eventually(() =>
        assert.equal(conversation.messages.filter((m) => isCustomer(m.author)).length, 3),
      );
      const [text, image, log] = conversation.messages.filter((m) => isCustomer(m.author));
      assert.equal(text!.body, 'Here is the error');
      assert.deepEqual(twilio.mediaOf(text!.sid), [], 'the text goes alone');
      for (const [message, name, bytes] of [
        [image!, 'error.png', png],
        [log!, 'log.txt', Buffer.from('crash at 12:01')],
      ] as const) {
        assert.equal(message.body, '', 'a file goes without text, as Flex wants');
        const media = twilio.mediaOf(message.sid);
        assert.equal(media.length, 1, 'one file per message');
        assert.equal(media[0]!.filename, name);
        assert.deepEqual(media[0]!.content, bytes, 'the bytes themselves, not a Discord link');
        assert.doesNotMatch(message.body ?? '', /attachments\//);
      }
      assert.equal(twilio.mediaOf(image!.sid)[0]!.contentType, 'image/png');

      // The case transcript keeps the durable Twilio reference of each file.
      const caseNumber = (await getConversationState(ctx.client, workflowId)).caseNumber!;
      const cases = await openCaseStore(system.config);
      try {
        const line = await eventually(async () => {
          const found = (await cases.store.getCase(caseNumber))!.transcript.find(
            (e) => e.entryId === sent.id,
          );
          assert.ok(found, 'the message is in the transcript');
          return found;
        });
        assert.deepEqual(
          line.attachments.map((a) => [a.name, a.twilioMedia?.mediaSid]),
          [
            ['error.png', twilio.mediaOf(image!.sid)[0]!.sid],
            ['log.txt', twilio.mediaOf(log!.sid)[0]!.sid],
          ],
        );
        assert.equal(line.attachments[0]!.twilioMedia!.serviceSid, twilio.serviceSid);
      } finally {
        await cases.close();
      }

      // Files Flex would refuse never reach it; the user is told which and why.
      const refusedTypes = discord.userSendsDm(ana, '', [
        { filename: 'setup.exe', contentType: 'application/octet-stream', content: 'MZ' },
      ]);
      await discord.waitForMessage(
        dm.id,
        (m) =>
          fromBot(refusedTypes)(m) &&
          /I couldn't pass "setup.exe" on to the agent: that type of file isn't accepted\. The agent can receive jpg, jpeg, png/.test(
            m.content,
          ),
      );
      const tooBig = discord.userSendsDm(ana, '', [
        { filename: 'huge.pdf', contentType: 'application/pdf', content: Buffer.alloc(4096) },
      ]);
      await discord.waitForMessage(
        dm.id,
        (m) =>
          fromBot(tooBig)(m) &&
          /I couldn't pass "huge.pdf" on to the agent: the file is too large/.test(m.content),
      );
      const uploadsBefore = twilio.mediaStore.media.size;
      const gone = discord.userSendsDm(ana, '', [
        { filename: 'old.png', contentType: 'image/png', content: png },
      ]);
      discord.cdn.expire(gone.attachments[0]!.id);
      await discord.waitForMessage(
        dm.id,
        (m) =>
          fromBot(gone)(m) &&
          /I couldn't pass "old.png" on to the agent: Discord no longer has the file/.test(m.content),
      );
      assert.equal(twilio.mediaStore.media.size, uploadsBefore, 'nothing refused was uploaded');
      assert.equal(conversation.messages.filter((m) => isCustomer(m.author)).length, 3);
      assert.ok(
        discord.cdn.downloads.every((d) => d.attachmentId !== refusedTypes.attachments[0]!.id),
        'a refused type is not even downloaded',
      );
      assert.deepEqual(twilio.specViolations, []);
      await recordHistory(ctx.client, workflowId, 'support-customer-media-v1');
    });
  });
});
