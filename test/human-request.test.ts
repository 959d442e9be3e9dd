import assert from 'node:assert/strict';
import { isHumanRequest } from '../src/workflows/support/human-request';

describe('recognising a request for a person', () => {
  const requests = [
    'talk to a human',
    'Talk to a human!',
    'agent',
    'Agent please',
    'AGENT!!!',
    'human',
    'human pls',
    'real person',
    'a real person please',
    'I want to speak to a real person',
    'can I talk to someone?',
    'Can I speak with an agent please',
    'connect me to a live agent',
    'I need a human to look at this',
    'get me a human',
    'let me talk to someone',
    'is anyone there?',
    'not a bot please',
    'transfer me to customer service',
    'I want customer support',
    'give me a representative',
    'can i chat with a staff member',
    'put me through to an agent',
    'I would like to speak to a person',
    'speak to a person',
    'I need to talk to a moderator about my ban',
    'talk to someone real',
    'Customer service!',
    'live chat',
    'operator',
    'Can I get a real agent',
    'i want a human, this bot is useless',
    'escalate this',
    'contact a game master',
    "I'd rather talk to a human",
    'Hablar con humano? no... talk to human',
    'Can you transfer me to support staff',
  ];
  const notRequests = [
    'my agent keeps dying in the arena',
    'how do I level up my human character',
    'I want to trade with a person in my guild',
    'the agent skill is bugged',
    'is this game available on android',
    'I need help with a refund',
    'human resources',
    'Who is the best agent to pick?',
    'my account was banned',
    'How do I get the Human race skin',
    'can someone explain the event rules',
    'I talked to my friend and he says the game crashes',
    'the support page link is broken',
    'is the dev team fixing the lag',
    'what does agent 47 do',
    'how to contact the enemy team',
    'I need more gems',
    '',
    '   ',
    'agent of chaos event rewards missing',
  ];

  for (const text of requests) {
    it(`hears a request in ${JSON.stringify(text)}`, () => assert.equal(isHumanRequest(text), true));
  }
  for (const text of notRequests) {
    it(`hears no request in ${JSON.stringify(text)}`, () => assert.equal(isHumanRequest(text), false));
  }

  it('finds the request at the end of a long complaint', () => {
    assert.equal(
      isHumanRequest(`${'my game crashes when I open the shop. '.repeat(10)}Let me talk to a human.`),
      true,
    );
  });
});
