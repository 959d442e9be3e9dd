import { z } from 'zod';

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
export const apiTokenList = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .optional()
    .transform((raw, ctx): ApiTokenSetting[] => {
      const tokens: ApiTokenSetting[] = [];
      const entries = (raw ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      entries.forEach((entry, i) => {
        const at = `entry ${i + 1}`;
        const eq = entry.lastIndexOf('=');
        const token = eq > 0 ? entry.slice(0, eq).trim() : '';
        const guilds = eq > 0 ? entry.slice(eq + 1).trim() : '';
        if (!TOKEN.test(token)) {
          ctx.addIssue({
            code: 'custom',
            message: `${at}: expected <token>=<guild id>|… or <token>=*, with a token of at least 16 characters (letters, digits, . _ ~ + / -)`,
          });
          return;
        }
        if (tokens.some((t) => t.token === token)) {
          ctx.addIssue({ code: 'custom', message: `${at}: this token is listed twice` });
          return;
        }
        if (guilds === '*') {
          tokens.push({ token, guilds: '*' });
          return;
        }
        const ids = guilds.split('|').map((g) => g.trim());
        if (ids.length === 0 || !ids.every((g) => GUILD.test(g))) {
          ctx.addIssue({
            code: 'custom',
            message: `${at}: after "=" list Discord server ids separated by | (or *)`,
          });
          return;
        }
        tokens.push({ token, guilds: ids });
      });
      return tokens;
    }),
);
