import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DiscordAPIError } from '@discordjs/rest';
import { TwilioApiError } from '../src/activities/twilio/twilio-api-error';
import { createLogger } from '../src/logging/logger';
import { describeError, redactDeep, safeCause, safeError, scrubText } from '../src/logging/safe-error';
import { toSafeActivityFailure } from '../src/worker/safe-activity-failures';

const BASIC = `Basic ${Buffer.from('AC123:sekrit-auth-token').toString('base64')}`;

/** An error shaped like axios's (under twilio-node): the request config and socket hang on it. */
function axiosLikeError(): Error {
  class AxiosError extends Error {
    code = 'ECONNREFUSED';
    config = {
      method: 'post',
      url: 'https://conversations.twilio.com/v1/Conversations?Friendly=x',
      headers: { Authorization: BASIC, 'User-Agent': 'twilio-node' },
      auth: { username: 'AC123', password: 'sekrit-auth-token' },
    };
    request = { _header: `POST /v1/Conversations HTTP/1.1\r\nAuthorization: ${BASIC}\r\n\r\n` };
  }
  const err = new AxiosError('connect ECONNREFUSED 127.0.0.1:1');
  err.name = 'Error';
  return err;
}

describe('safe errors (what flexcord writes down of an error)', () => {
  it('keeps message, name, code, status, Twilio code and route; drops the request', () => {
    const safe = safeError(axiosLikeError());
    assert.equal(safe.name, 'AxiosError');
    assert.equal(safe.message, 'connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(safe.code, 'ECONNREFUSED');
    assert.equal(safe.route, 'POST /v1/Conversations');
    assert.doesNotMatch(JSON.stringify(safe), /sekrit|Basic|Friendly/);

    const twilio = safeError(
      new TwilioApiError(404, 20404, 'Not found', 'https://x', undefined, 'GET', '/v1/C'),
    );
    assert.deepEqual(
      { status: twilio.status, twilioCode: twilio.twilioCode, route: twilio.route, code: twilio.code },
      { status: 404, twilioCode: 20404, route: 'GET /v1/C', code: undefined },
    );

    const discord = safeError(
      new DiscordAPIError(
        { code: 50007, message: 'Cannot send messages to this user' },
        50007,
        403,
        'POST',
        'https://discord.com/api/v10/channels/1/messages?wait=true',
        { body: { content: 'private words' } },
      ),
    );
    assert.equal(discord.route, 'POST /api/v10/channels/1/messages');
    assert.equal(discord.status, 403);
    assert.equal(discord.code, 50007);
    assert.doesNotMatch(JSON.stringify(discord), /private words/);
  });

  it('follows causes and aggregated errors, safely', () => {
    const inner = axiosLikeError();
    const outer = new Error('could not reach Twilio', { cause: new AggregateError([inner], '') });
    const safe = safeError(outer);
    assert.equal(safe.cause?.errors?.[0]?.code, 'ECONNREFUSED');
    assert.doesNotMatch(JSON.stringify(safe), /sekrit/);
    assert.match(describeError(outer), /caused by AggregateError[\s\S]*- AxiosError: connect ECONNREFUSED/);
  });

  it('scrubs credentials written inside text, and nothing else', () => {
    assert.equal(scrubText(`Authorization: ${BASIC}`), 'Authorization: [redacted]');
    assert.equal(
      scrubText('postgres://flexcord:hunter2pass@db:5432/x'),
      'postgres://flexcord:[redacted]@db:5432/x',
    );
    assert.equal(scrubText(`header ${BASIC} sent`), 'header Basic [redacted] sent');
    assert.equal(scrubText('Bot connected to the gateway'), 'Bot connected to the gateway');
    assert.equal(scrubText('case #1042 closed'), 'case #1042 closed');
  });

  it('blanks credential keys at any depth and in any case', () => {
    const out = redactDeep({
      a: { b: { c: { Authorization: 'x', 'X-Twilio-Signature': 'y', AUTH_TOKEN: 'z', keep: 'k' } } },
      list: [{ apiSecret: 's' }, { DatabaseUrl: 'postgres://u:p@h/d' }],
      err: axiosLikeError(),
    }) as Record<string, never>;
    assert.deepEqual(out.a, {
      b: {
        c: {
          Authorization: '[redacted]',
          'X-Twilio-Signature': '[redacted]',
          AUTH_TOKEN: '[redacted]',
          keep: 'k',
        },
      },
    });
    assert.deepEqual(out.list, [{ apiSecret: '[redacted]' }, { DatabaseUrl: '[redacted]' }]);
    assert.doesNotMatch(JSON.stringify(out), /sekrit/);
  });

  it('the production logger writes errors and nested credentials safely, in JSON and pretty form', () => {
    for (const format of ['json', 'pretty'] as const) {
      let written = '';
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.toString();
          done();
        },
      });
      const logger = createLogger({ log: { level: 'info', format } }, 'flexcord', sink);
      logger.error({ err: axiosLikeError(), request: { headers: { AUTHORIZATION: BASIC } } }, 'failed');
      logger.error(axiosLikeError(), `retrying with ${BASIC}`);
      logger.child({ apiKey: 'sekrit-auth-token' }).info('child');
      assert.match(written, /ECONNREFUSED/, format);
      assert.match(written, /POST \/v1\/Conversations/, format);
      assert.doesNotMatch(written, /sekrit|QUMxMjM6/, format);
    }
  });
});

describe('activity failures on their way to Temporal', () => {
  it('keep type, retryability, retry delay and details; the cause keeps safe fields only', () => {
    const failure = ApplicationFailure.create({
      type: 'TwilioRetryable',
      message: `Twilio answered 503 to POST /v1/Conversations (${BASIC})`,
      nextRetryDelay: '7s',
      details: [{ status: 503, headers: { authorization: BASIC } }],
      cause: axiosLikeError(),
    });
    const safe = toSafeActivityFailure(failure) as ApplicationFailure;
    assert.ok(safe instanceof ApplicationFailure);
    assert.equal(safe.type, 'TwilioRetryable');
    assert.equal(safe.nonRetryable, false);
    assert.equal(safe.nextRetryDelay, '7s');
    assert.deepEqual(safe.details, [{ status: 503, headers: { authorization: '[redacted]' } }]);
    assert.equal(safe.cause?.name, 'AxiosError');
    assert.equal((safe.cause as Error & { code?: string }).code, 'ECONNREFUSED');
    assert.doesNotMatch(
      JSON.stringify({ ...safe, message: safe.message, cause: { ...safe.cause } }),
      /sekrit|QUMxMjM6/,
    );

    const permanent = toSafeActivityFailure(
      ApplicationFailure.nonRetryable('bad', 'BadRequest'),
    ) as ApplicationFailure;
    assert.equal(permanent.nonRetryable, true);
    assert.equal(permanent.type, 'BadRequest');
  });

  it('a plain error keeps its name (Temporal classes it by name) and cancellation passes untouched', () => {
    const plain = toSafeActivityFailure(axiosLikeError()) as Error;
    assert.equal(plain.name, 'AxiosError');
    assert.equal(Object.keys(plain).includes('config'), false);
    const cancelled = new CancelledFailure('cancelled');
    assert.equal(toSafeActivityFailure(cancelled), cancelled);
    assert.equal(safeCause(plain), plain, 'already safe');
  });
});
