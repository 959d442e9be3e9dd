import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createKbActivities } from '../src/activities/kb/activities';
import { FileKnowledgeBase } from '../src/activities/kb/file-knowledge-base';
import { loadArticles } from '../src/kb/load-articles';
import { ArticleIndex } from '../src/kb/search-index';
import { editDistance, SpellingCorrector } from '../src/kb/spelling';
import { termsOf } from '../src/kb/terms';
import { eventually } from './support/conversation-helpers';

const SAMPLE_KB = path.resolve(__dirname, '..', 'knowledge-base');
const REPO = path.resolve(__dirname, '..');

function article(title: string, tags: string[], body: string, url = 'https://help.example.com/x'): string {
  return `---\ntitle: "${title}"\ntags: [${tags.join(', ')}]\nurl: ${url}\n---\n\n${body}\n`;
}

async function tempKb(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flexcord-kb-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

describe('knowledge base', () => {
  describe('the sample articles', () => {
    it('has at least 25 valid articles with distinct titles and links', async () => {
      const { articles, problems } = await loadArticles(SAMPLE_KB);
      assert.deepEqual(problems, []);
      assert.ok(articles.length >= 25, `${articles.length} articles`);
      assert.equal(new Set(articles.map((a) => a.title)).size, articles.length);
      assert.equal(new Set(articles.map((a) => a.url)).size, articles.length);
      for (const a of articles) {
        assert.ok(a.tags.length > 0, `${a.id} has tags`);
        assert.ok(a.body.split(/\s+/).length >= 60, `${a.id} has a real body`);
      }
    });

    const expectations: [string, string][] = [
      ['I forgot my password', 'account/reset-password.md'],
      ['how do i get my money back', 'purchases/refunds.md'],
      ['refnd for gems', 'purchases/refunds.md'],
      ['game keeps crashing on my samsung', 'technical/game-crashes.md'],
      ['why was I banned', 'moderation/ban-appeal.md'],
      ['someone hacked my account', 'account/hacked-account.md'],
      ['my event prizes never came', 'events/event-rewards.md'],
      ['I was double charged', 'purchases/double-charge.md'],
    ];
    for (const [question, expected] of expectations) {
      it(`ranks ${expected} first for ${JSON.stringify(question)}`, async () => {
        const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
        const hits = await kb.search(question, { limit: 3 });
        assert.equal(hits[0]?.id, expected, JSON.stringify(hits.map((h) => [h.id, h.score])));
        assert.ok(hits[0]!.excerpt.length > 20 && hits[0]!.excerpt.length <= 200);
        assert.match(hits[0]!.url, /^https:\/\//);
      });
    }

    it('offers nothing for a question it has no article for', async () => {
      const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
      assert.deepEqual(await kb.search('the moon is made of cheese'), []);
      assert.deepEqual(await kb.search('what is your favourite pizza topping'), []);
    });
  });

  describe('loading and indexing', () => {
    it('indexes nested folders by relative path, skips READMEs and reports bad front matter', async () => {
      const dir = await tempKb({
        'README.md': '# notes for editors',
        'shop/refunds.md': article(
          'Refunds',
          ['purchase'],
          'Refunds are handled by the store you bought from.',
        ),
        'broken.md': '---\ntitle: ""\n---\nno url',
      });
      const { articles, problems } = await loadArticles(dir);
      assert.deepEqual(
        articles.map((a) => a.id),
        ['shop/refunds.md'],
      );
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.reason, /title|url/);
    });

    it('matches stems, synonyms and typos, and prefers title matches', () => {
      const index = new ArticleIndex(
        [
          {
            id: 'a.md',
            file: '/a.md',
            title: 'Crashes on start',
            url: 'https://x/a',
            tags: ['technical'],
            body: 'If the app closes by itself, update it. Restart the device too.',
          },
          {
            id: 'b.md',
            file: '/b.md',
            title: 'Refund policy',
            url: 'https://x/b',
            tags: ['purchase'],
            body: 'Stores handle every refund request. Keep your receipt.',
          },
          {
            id: 'c.md',
            file: '/c.md',
            title: 'Guild wars',
            url: 'https://x/c',
            tags: ['guild'],
            body: 'Wars start on Fridays; rewards go to every member who fought.',
          },
        ],
        { minScore: 0.5, minShareOfBest: 0.3 },
      );
      assert.equal(index.search('it keeps crashing')[0]?.id, 'a.md', 'stem: crashing -> crash');
      assert.equal(index.search('the game freezes')[0]?.id, 'a.md', 'synonym: freeze -> crash');
      assert.equal(
        index.search('I want my money back')[0]?.id,
        'b.md',
        'phrase synonym: money back -> refund',
      );
      assert.equal(index.search('refumd')[0]?.id, 'b.md', 'typo');
      assert.equal(index.search('clan war')[0]?.id, 'c.md', 'synonym: clan -> guild');
      assert.match(index.search('refund receipt')[0]!.excerpt, /receipt/);
    });
    it('reads player aliases from front matter and finds an article by them, without showing them', async () => {
      const dir = await tempKb({
        'crash.md': [
          '---',
          'title: "The game closes"',
          'tags: [technical]',
          'aliases: ["black screen", "force close"]',
          'url: https://help.example.com/crash',
          '---',
          '',
          'Update the game and restart the device.',
        ].join('\n'),
        'shop.md': article('Shop offers', ['purchase'], 'Offers show a timer in the shop.'),
      });
      const { articles } = await loadArticles(dir);
      const crash = articles.find((a) => a.id === 'crash.md')!;
      assert.deepEqual(crash.aliases, ['black screen', 'force close']);
      assert.deepEqual(articles.find((a) => a.id === 'shop.md')!.aliases, []);
      const index = new ArticleIndex(articles, { minScore: 0.5, minShareOfBest: 0.3 });
      const hits = index.search('stuck on a black screen');
      assert.equal(hits[0]?.id, 'crash.md');
      assert.doesNotMatch(hits[0]!.excerpt, /black screen/);
    });

    it('tells a crashing app from closing an account, and folds player shorthand', () => {
      assert.ok(termsOf('the app keeps closing').has('crash'));
      assert.ok(!termsOf('the app keeps closing').has('delete'));
      assert.ok(termsOf('please close my account').has('delete'));
      assert.ok(!termsOf('please close my account').has('crash'));
      assert.ok(termsOf('forgot my pw').has('password'));
      assert.ok(termsOf('can i change my ign').has('username'));
      assert.ok(termsOf('enemy had aimbot').has('cheat'));
      const chargedTwice = [...termsOf('charged twice')];
      assert.ok(chargedTwice.every((t) => termsOf('got billed 2 times for one pack').has(t)));
      assert.ok(termsOf('rubber banding every match').has('lag'));
      assert.ok(termsOf('my son bought gems').has('parent'));
    });
  });

  describe('spelling correction', () => {
    it('repairs a slip in a question word toward words the articles use, and leaves short or unknown words', () => {
      const speller = new SpellingCorrector(['crashing', 'refund', 'banned', 'guild', 'lower', 'match']);
      assert.equal(speller.correct('crashign'), 'crashing', 'neighbouring letters swapped');
      assert.equal(speller.correct('refnud'), 'refund');
      assert.equal(speller.correct('baned'), 'banned', 'a letter missing');
      assert.equal(speller.correct('gulid'), 'guild');
      assert.equal(speller.correct('math'), 'math', 'short words are left alone');
      assert.equal(speller.correct('football'), 'football', 'nothing close enough');
      assert.equal(editDistance('subscribtion', 'subscription', 2), 1);
      assert.equal(editDistance('authentification', 'authentication', 2), 2);
      assert.equal(editDistance('asdf', 'the', 1), 2, 'stops once past the limit');
    });

    it('lets a misspelt question find its article in the sample knowledge base', async () => {
      const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
      const hits = await kb.search('game keeps crashign', { limit: 3 });
      assert.equal(hits[0]?.id, 'technical/game-crashes.md');
    });
  });

  describe('player wording in the sample articles', () => {
    const wording: [string, string][] = [
      ['forgot pw cant get in', 'account/reset-password.md'],
      ['app keeps closing when i open it', 'technical/game-crashes.md'],
      ['enemy was using aimbot', 'moderation/report-player.md'],
      ['can i play on pc with an emulator', 'technical/supported-devices.md'],
      ['this hero is way too op pls nerf', 'community/feature-requests.md'],
    ];
    for (const [question, expected] of wording) {
      it(`offers ${expected} for ${JSON.stringify(question)}`, async () => {
        const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
        const hits = await kb.search(question, { limit: 3 });
        assert.ok(
          hits.some((h) => h.id === expected),
          JSON.stringify(hits.map((h) => [h.id, h.score])),
        );
      });
    }

    it('still offers nothing for off-topic chatter', async () => {
      const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
      for (const question of ['lol', 'who is the ceo of apple', 'how do i bake sourdough bread']) {
        assert.deepEqual(await kb.search(question), [], question);
      }
    });
  });

  it('reloads when an article is added to the folder', async function () {
    this.timeout(15_000);
    const dir = await tempKb({
      'one.md': article('Guild basics', ['guild'], 'Join a guild from the guild tab.'),
    });
    const kb = await FileKnowledgeBase.open({ dir, watch: true });
    try {
      assert.deepEqual(await kb.search('password reset'), []);
      // chokidar needs a moment to arm its watchers before it sees new files.
      await new Promise((r) => setTimeout(r, 300));
      await fs.writeFile(
        path.join(dir, 'two.md'),
        article('Password reset', ['account'], 'Reset your password from the login screen.'),
      );
      await eventually(
        async () => assert.equal((await kb.search('password reset'))[0]?.id, 'two.md'),
        10_000,
      );
      assert.ok(kb.reloadCount >= 1);
    } finally {
      await kb.close();
    }
  });

  it('refuses to start on a folder that does not exist', async () => {
    await assert.rejects(
      FileKnowledgeBase.open({ dir: path.join(os.tmpdir(), 'no-such-kb-folder') }),
      /does not exist/,
    );
  });

  describe('searchKnowledgeBase activity', () => {
    it('validates its input and returns no hits for an empty question', async () => {
      const kb = await FileKnowledgeBase.open({ dir: SAMPLE_KB });
      const { searchKnowledgeBase } = createKbActivities({ knowledgeBase: kb });
      assert.deepEqual(await searchKnowledgeBase({ query: '   ', limit: 3 }), []);
      const hits = await searchKnowledgeBase({ query: 'reset my password', limit: 1 });
      assert.equal(hits.length, 1);
      await assert.rejects(
        searchKnowledgeBase({ query: 'x', limit: 0 }),
        (err: Error & { nonRetryable?: boolean }) => {
          assert.equal(err.nonRetryable, true);
          return true;
        },
      );
    });
  });

  describe('flexcord kb search', () => {
    it('prints JSON hits naming file and title, for any folder given with --kb', async function () {
      this.timeout(30_000);
      const dir = await tempKb({
        'faq/refunds.md': article(
          'Refunds',
          ['purchase'],
          'Refunds are handled by the store you bought from.',
        ),
        'faq/guilds.md': article('Guilds', ['guild'], 'Join a guild from the guild tab.'),
      });
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.join(REPO, 'bin', 'flexcord.js'),
          'kb',
          'search',
          'how do I get a refund',
          '--kb',
          dir,
          '--json',
        ],
        { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'silent' } },
      );
      const out = JSON.parse(stdout) as {
        hits: { file: string; title: string; score: number; id: string }[];
      };
      assert.equal(out.hits[0]!.file, path.join(dir, 'faq', 'refunds.md'));
      assert.equal(out.hits[0]!.id, 'faq/refunds.md');
      assert.equal(out.hits[0]!.title, 'Refunds');
      assert.ok(out.hits[0]!.score > 0);
    });
  });
});
