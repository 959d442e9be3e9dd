import { secretEntryList } from './secret-entry-list';

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
export const payloadKeyList = secretEntryList<PayloadKeySetting>({
  splitAt: 'first',
  nameOf: (k) => k.id,
  twice: ({ at, name }) => `${at}: key id ${name} is listed twice`,
  parse: ({ name: id, value: encoded, at }) => {
    if (!KEY_ID.test(id)) {
      return { issue: `${at}: expected <key id>=<base64 key>, the id 1-64 letters, digits, . _ or -` };
    }
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== 32) {
      return { issue: `${at} (${id}): the key must be 32 random bytes in base64 (openssl rand -base64 32)` };
    }
    return { id, key };
  },
});
