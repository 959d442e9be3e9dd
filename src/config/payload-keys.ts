import { z } from 'zod';

/** One payload encryption key: its id (written into every payload it encrypts) and its 32 bytes. */
export interface PayloadKeySetting {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * PAYLOAD_ENCRYPTION_KEYS: `<key id>=<base64 of 32 random bytes>[,<older key id>=<key>…]`. The first key encrypts;
 * every listed key decrypts, so a new key goes first and an old one stays listed until nothing needs it. Issues
 * name the entry by position, never its value.
 */
export const payloadKeyList = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .optional()
    .transform((raw, ctx): PayloadKeySetting[] => {
      const keys: PayloadKeySetting[] = [];
      const entries = (raw ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      entries.forEach((entry, i) => {
        const at = `entry ${i + 1}`;
        const eq = entry.indexOf('=');
        const id = eq > 0 ? entry.slice(0, eq).trim() : '';
        const encoded = eq > 0 ? entry.slice(eq + 1).trim() : '';
        if (!KEY_ID.test(id)) {
          ctx.addIssue({
            code: 'custom',
            message: `${at}: expected <key id>=<base64 key>, the id 1-64 letters, digits, . _ or -`,
          });
          return;
        }
        const key = Buffer.from(encoded, 'base64');
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== 32) {
          ctx.addIssue({
            code: 'custom',
            message: `${at} (${id}): the key must be 32 random bytes in base64 (openssl rand -base64 32)`,
          });
          return;
        }
        if (keys.some((k) => k.id === id)) {
          ctx.addIssue({ code: 'custom', message: `${at}: key id ${id} is listed twice` });
          return;
        }
        keys.push({ id, key });
      });
      return keys;
    }),
);
