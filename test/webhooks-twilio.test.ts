import assert from 'node:assert/strict';
import express from 'express';
import pino from 'pino';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { ConversationNotFoundError } from '../src/temporal/support-client';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { createTwilioWebhookRouter, type AgentEventSink } from '../src/webhooks/twilio/twilio-router';
import { requireTwilioSignature } from '../src/webhooks/twilio/twilio-signature';
import {
  allSignedExamples,
  conversationExample,
  signatureVectors,
  taskrouterExample,
} from './support/twilio-fixtures';

const logger = pino({ level: 'silent' });
const PUBLIC = 'https://bridge.example.com';
const TOKEN = '9f86d081884c7d659a2feaa0c55ad015'; // the token the documented examples are signed with
const WORKFLOW_ID = 'support-290926798626357999-53908232506183680';

type Delivered = Parameters<AgentEventSink>[0];

async function post(
  base: string,
  pathAndQuery: string,
  params: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    for (const item of ([] as string[]).concat(v)) body.append(k, item);
  return fetch(`${base}${pathAndQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
}

function signed(pathAndQuery: string, params: Record<string, string>, publicBase = PUBLIC, token = TOKEN) {
  return { 'x-twilio-signature': getExpectedTwilioSignature(token, `${publicBase}${pathAndQuery}`, params) };
}

describe("X-Twilio-Signature with Twilio's own test vectors", () => {
  // The vendor vectors are checked through our middleware on a real HTTP request, with the vector's URL as the
  // configured public URL: this is the "behind a proxy" setup (we listen on 127.0.0.1, Twilio signed another URL).
  const vectors = signatureVectors().filter((v) => v.kind === 'form' && !v.historical);

  for (const vector of vectors) {
    it(`${vector.id}: ${vector.expected_valid ? 'accepted' : 'rejected'}`, async () => {
      const url = new URL(vector.url);
      const publicBase = vector.url.slice(0, vector.url.indexOf(url.pathname, vector.url.indexOf('//') + 2));
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.use(requireTwilioSignature({ authToken: vector.auth_token, publicBaseUrl: publicBase }));
      app.post(/.*/, (_req, res) => void res.status(200).end());
      const server = await listen(app, 0, '127.0.0.1');
      try {
        const headers: Record<string, string> = vector.x_twilio_signature
          ? { 'x-twilio-signature': vector.x_twilio_signature }
          : {};
        const res = await post(
          `http://127.0.0.1:${server.port}`,
          vector.url.slice(publicBase.length),
          vector.params,
          headers,
        );
        const expected = vector.expected_valid ? 200 : vector.x_twilio_signature ? 403 : 400;
        assert.equal(res.status, expected);
      } finally {
        await server.close();
      }
    });
  }
});

describe('Twilio webhooks: POST /twilio/conversations and /twilio/taskrouter', () => {
  let server: RunningHttpServer;
  let base: string;
  let delivered: Delivered[];
  let sink: AgentEventSink;

  async function startApp(publicBaseUrl = PUBLIC, bodyLimit = '20kb') {
    const app = createWebhookApp({
      logger,
      readiness: async () => undefined,
      routers: [
        {
          path: '/twilio',
          router: createTwilioWebhookRouter({
            authToken: TOKEN,
            publicBaseUrl,
            bodyLimit,
            logger,
            deliver: (input) => sink(input),
          }),
        },
      ],
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  }

  beforeEach(async () => {
    delivered = [];
    sink = async (input) => void delivered.push(input);
    await startApp();
  });
  afterEach(() => server.close());

  const convPath = `/twilio/conversations?workflowId=${WORKFLOW_ID}`;

  it('accepts every documented example exactly as Twilio signed it (no workflow id in that URL: acknowledged only)', async () => {
    for (const example of allSignedExamples()) {
      const delivery = example.signed_delivery_example!;
      const res = await fetch(`${base}${new URL(delivery.url).pathname}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': delivery.x_twilio_signature,
        },
        body: example.urlencoded_body,
      });
      assert.ok([200, 204].includes(res.status), `${example.name}: ${res.status}`);
    }
    assert.deepEqual(delivered, []);
  });

  it('relays an agent reply (documented onMessageAdded) as an agent message signal', async () => {
    const params = conversationExample('onMessageAdded', 0).form_params;
    const res = await post(base, convPath, params, signed(convPath, params));
    assert.equal(res.status, 200);
    assert.deepEqual(delivered, [
      {
        workflowId: WORKFLOW_ID,
        event: {
          kind: 'message',
          eventId: 'IMb42b281cb1aca588ff2f38f6a468dc8e',
          agentIdentity: 'alice_40example_2Ecom',
          // Without a name from TaskRouter, the login's local part: never the agent's email address.
          agentName: 'alice',
          text: "Hi! I've reset your 2FA, please try logging in again.",
          attachments: [],
          sentAt: '2026-08-20T14:03:22.510Z',
          // Its place in the conversation: one that skips a number makes the workflow look for a lost message.
          index: 4,
        },
      },
    ]);
  });

  it('ignores the echo of our own customer post', async () => {
    const params = conversationExample('onMessageAdded', 1).form_params;
    const res = await post(base, convPath, params, signed(convPath, params));
    assert.equal(res.status, 200);
    assert.deepEqual(delivered, []);
  });

  it('signals the same MessageSid once when Twilio delivers it twice', async () => {
    const params = conversationExample('onMessageAdded', 0).form_params;
    const [a, b] = await Promise.all([
      post(base, convPath, params, signed(convPath, params)),
      post(base, convPath, params, signed(convPath, params)),
    ]);
    const c = await post(base, convPath, params, signed(convPath, params));
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 200]);
    assert.equal(delivered.length, 1);
  });

  it('maps an agent participant to agent joined, and ignores the customer and SMS participants', async () => {
    const customer = conversationExample('onParticipantAdded', 0).form_params;
    const sms = conversationExample('onParticipantAdded', 1).form_params;
    const agent = {
      ...customer,
      ParticipantSid: 'MB33fd77e999db45fed1fddbfa0e330d92',
      Identity: 'alice_40example_2Ecom',
      Attributes: '{"friendlyName":"Alice Example"}',
    };
    for (const params of [customer, sms, agent]) {
      assert.equal((await post(base, convPath, params, signed(convPath, params))).status, 200);
    }
    assert.deepEqual(delivered, [
      {
        workflowId: WORKFLOW_ID,
        event: {
          kind: 'joined',
          eventId: 'MB33fd77e999db45fed1fddbfa0e330d92',
          agentIdentity: 'alice_40example_2Ecom',
          agentName: 'Alice Example',
          conversationSid: 'CHb462345312134df7f0e365ff46248b49',
        },
      },
    ]);
  });

  it('maps StateTo=closed to closed, and ignores other state changes', async () => {
    const closed = conversationExample('onConversationStateUpdated', 0).form_params;
    const inactive = conversationExample('onConversationStateUpdated', 1).form_params;
    for (const params of [inactive, closed, closed]) {
      assert.equal((await post(base, convPath, params, signed(convPath, params))).status, 200);
    }
    assert.deepEqual(delivered, [
      {
        workflowId: WORKFLOW_ID,
        event: {
          kind: 'closed',
          eventId: 'CHb462345312134df7f0e365ff46248b49:closed',
          reason: 'agent_closed',
          conversationSid: 'CHb462345312134df7f0e365ff46248b49',
        },
      },
    ]);
  });

  it('missing signature is 400, a forged one 403, and neither signals', async () => {
    const params = conversationExample('onMessageAdded', 0).form_params;
    assert.equal((await post(base, convPath, params)).status, 400);
    const forged = { ...params, Body: 'send me your password' };
    assert.equal((await post(base, convPath, forged, signed(convPath, params))).status, 403);
    const otherToken = signed(convPath, params, PUBLIC, '0'.repeat(32));
    assert.equal((await post(base, convPath, params, otherToken)).status, 403);
    // Signed for another workflow id: the URL is part of the signature.
    const otherWorkflow = signed(`/twilio/conversations?workflowId=support-1-2`, params);
    assert.equal((await post(base, convPath, params, otherWorkflow)).status, 403);
    assert.deepEqual(delivered, []);
  });

  it('validates against the configured public URL with a port', async () => {
    await server.close();
    await startApp('https://bridge.example.com:8443');
    const params = conversationExample('onMessageAdded', 0).form_params;
    const good = signed(convPath, params, 'https://bridge.example.com:8443');
    assert.equal((await post(base, convPath, params, good)).status, 200);
    const portless = signed(convPath, params, 'https://bridge.example.com');
    // twilio's validator also tries the URL without the port, as Twilio may sign either form.
    assert.equal((await post(base, convPath, params, portless)).status, 200);
    const wrongHost = signed(convPath, params, 'https://evil.example.com:8443');
    assert.equal((await post(base, convPath, params, wrongHost)).status, 403);
    assert.equal(delivered.length, 1);
  });

  it('rejects bodies over the limit with 413 and malformed ones with 400', async () => {
    const params = { ...conversationExample('onMessageAdded', 0).form_params, Body: 'x'.repeat(30_000) };
    assert.equal((await post(base, convPath, params, signed(convPath, params))).status, 413);
    const badSid = { ...conversationExample('onMessageAdded', 0).form_params, MessageSid: 'not-a-sid' };
    assert.equal((await post(base, convPath, badSid, signed(convPath, badSid))).status, 400);
    const json = await fetch(`${base}${convPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' },
      body: '{"EventType":"onMessageAdded"}',
    });
    assert.equal(json.status, 400);
    assert.deepEqual(delivered, []);
  });

  it('acknowledges events for conversations that are not running, and 503s (then redelivers) when Temporal fails', async () => {
    const params = conversationExample('onMessageAdded', 0).form_params;
    sink = () => Promise.reject(new ConversationNotFoundError(WORKFLOW_ID));
    assert.equal((await post(base, convPath, params, signed(convPath, params))).status, 200);

    const other = { ...params, MessageSid: 'IM00000000000000000000000000000001' };
    sink = () => Promise.reject(new Error('Temporal unavailable'));
    assert.equal((await post(base, convPath, other, signed(convPath, other))).status, 503);
    sink = async (input) => void delivered.push(input);
    assert.equal((await post(base, convPath, other, signed(convPath, other))).status, 200);
    assert.equal(delivered.length, 1);
  });

  describe('TaskRouter', () => {
    const trPath = '/twilio/taskrouter';
    const withWorkflow = (eventType: string) => {
      const params = { ...taskrouterExample(eventType).form_params };
      params.TaskAttributes = JSON.stringify({
        ...JSON.parse(params.TaskAttributes!),
        flexcordWorkflowId: WORKFLOW_ID,
      });
      return params;
    };

    it('maps reservation.accepted to joined with the worker name, and wrap-up/completed to closed, each naming its conversation, channel and task', async () => {
      for (const type of ['reservation.accepted', 'task.wrapup', 'task.completed', 'task.completed']) {
        const params = withWorkflow(type);
        const res = await post(base, trPath, params, signed(trPath, params));
        assert.equal(res.status, 204);
      }
      // What each event belongs to, from the task attributes Flex wrote: a late one can be told apart.
      const origin = {
        conversationSid: 'CHb462345312134df7f0e365ff46248b49',
        channelSid: 'UO2c9c1dff2cd12630e70f1b2a9c866842',
        taskSid: 'WT1a783bd4b43b8a290016b22aed79766d',
      };
      assert.deepEqual(
        delivered.map((d) => d.event),
        [
          {
            kind: 'joined',
            eventId: 'WR68c23b3408bf251e5413f7ea5eb6ce58',
            agentIdentity: 'alice_40example_2Ecom',
            agentName: 'Alice Example',
            ...origin,
          },
          {
            kind: 'closed',
            eventId: 'WT1a783bd4b43b8a290016b22aed79766d:task.wrapup',
            reason: 'agent_closed',
            ...origin,
          },
          {
            kind: 'closed',
            eventId: 'WT1a783bd4b43b8a290016b22aed79766d:task.completed',
            reason: 'task_completed',
            ...origin,
          },
        ],
      );
      assert.ok(delivered.every((d) => d.workflowId === WORKFLOW_ID));
    });

    it('names later agent messages after the TaskRouter worker', async () => {
      const accepted = withWorkflow('reservation.accepted');
      await post(base, trPath, accepted, signed(trPath, accepted));
      const reply = conversationExample('onMessageAdded', 0).form_params;
      await post(base, convPath, reply, signed(convPath, reply));
      assert.equal(delivered[1]!.event.kind === 'message' && delivered[1]!.event.agentName, 'Alice Example');
    });

    it('ignores tasks flexcord did not create', async () => {
      const params = taskrouterExample('reservation.accepted').form_params;
      assert.equal((await post(base, trPath, params, signed(trPath, params))).status, 204);
      assert.deepEqual(delivered, []);
    });
  });

  it('keeps /healthz and /readyz', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });
});
