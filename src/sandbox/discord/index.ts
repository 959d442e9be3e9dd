export { FakeDiscord, type FakeDiscordOptions, type FakeInteraction, waitFor } from './fake-discord';
export { type FakeChannel, type FakeGuild, type FakeMessage, type FakeUser } from './model';
export { LIMITS } from './limits';
export { type AllowedMentions, type Pings, NO_PINGS, pingsOf } from './mentions';
export { FakeCdn, type FakeFile } from './cdn';
