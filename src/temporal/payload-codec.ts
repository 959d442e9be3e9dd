import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/*
 * AES-256-GCM for every Temporal payload (workflow and activity inputs and results, signals, updates, queries,
 * memos), so the Temporal server and anyone reading its database or the Web UI without the key sees ciphertext.
 * The whole payload (its metadata too) is encrypted; the outer payload says only "binary/encrypted" and which key.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit key and the id it is known by in payloads, so keys can rotate. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

const text = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts what was written with it (older keys stay listed until rotated out). */
  constructor(private readonly keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('at least one payload key is required');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`payload key ${k.id} is not 256 bits`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The key id is authenticated too: a payload cannot be passed off as written under another key.
      cipher.setAAD(Buffer.from(id));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(id),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Written before encryption was on (saved histories, conversations already running): as it is.
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = id === undefined ? undefined : this.byId.get(id);
      if (!key)
        throw new ValueError(
          `payload encrypted with unknown key "${id ?? ''}": list it in PAYLOAD_ENCRYPTION_KEYS`,
        );
      const sealed = Buffer.from(payload.data ?? []);
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(id!));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        // GCM checks integrity: a changed byte, a wrong key or a truncated payload all end here.
        throw new ValueError(`encrypted payload does not decrypt with key "${id}": altered or another key`);
      }
    });
  }
}
