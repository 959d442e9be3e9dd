import { secretEntryList } from './secret-entry-list';

/** One case API token and the servers it may see: `'*'` for every server, else the guild ids. */
export interface ApiTokenSetting {
  token: string;
  guilds: '*' | string[];
}

const TOKEN = /^[A-Za-z0-9._~+/-]{16,}$/;
const GUILD = /^\d{5,25}$/;

/**
 * API_TOKENS: `<token>=<guild id>|<guild id>,<token>=*`. Each token sees only the servers named after it; `*` is
 * an explicit token for every server. Issues name the entry by position, never by value: the values are secrets.
 */
export const apiTokenList = secretEntryList<ApiTokenSetting>({
  splitAt: 'last',
  nameOf: (t) => t.token,
  twice: ({ at }) => `${at}: this token is listed twice`,
  parse: ({ name: token, value: guilds, at }) => {
    if (!TOKEN.test(token)) {
      return {
        issue: `${at}: expected <token>=<guild id>|… or <token>=*, with a token of at least 16 characters (letters, digits, . _ ~ + / -)`,
      };
    }
    if (guilds === '*') return { token, guilds: '*' };
    const ids = guilds.split('|').map((g) => g.trim());
    if (ids.length === 0 || !ids.every((g) => GUILD.test(g))) {
      return { issue: `${at}: after "=" list Discord server ids separated by | (or *)` };
    }
    return { token, guilds: ids };
  },
});
