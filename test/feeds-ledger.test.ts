import assert from 'node:assert/strict';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { describeOnEachDialect } from './support/case-databases';

describeOnEachDialect('feed ledger', (open) => {
  const feed = 'https://acme.example/releases.rss';

  it('claims an item once, keeps claims out of what is recorded, and turns a claim into its post', async () => {
    const ledger = await SqlFeedLedger.open((await open()).db);
    const first = await ledger.claim(feed, 'a');
    const again = await ledger.claim(feed, 'a');
    assert.equal(first.fresh, true);
    assert.equal(again.fresh, false, 'a second claim finds the first one');
    assert.equal(again.claimedAt, first.claimedAt);
    assert.equal(again.outcome, undefined);
    assert.deepEqual([...(await ledger.recorded(feed, ['a']))], [], 'a claim is not a post');
    assert.equal(await ledger.knows(feed), true);

    await ledger.record(feed, [{ itemId: 'a', outcome: 'posted', messageId: '42' }]);
    assert.deepEqual([...(await ledger.recorded(feed, ['a']))], ['a']);
    const after = await ledger.claim(feed, 'a');
    assert.deepEqual([after.fresh, after.outcome, after.messageId], [false, 'posted', '42']);

    // Recording a posted item again changes nothing.
    await ledger.record(feed, [{ itemId: 'a', outcome: 'posted', messageId: '43' }]);
    assert.equal((await ledger.claim(feed, 'a')).messageId, '42');
    await ledger.claim(feed, 'b');
    assert.deepEqual(await ledger.summary(), [
      { feedUrl: feed, posted: 1, skipped: 0, lastPostedAt: (await ledger.summary())[0]!.lastPostedAt },
    ]);
  });
});
