import { type DataConverter } from '@temporalio/common';
import { type Config, ConfigError } from '../config';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * How payloads travel to Temporal, from config: encrypted with PAYLOAD_ENCRYPTION_KEYS, else as plain JSON. In
 * production plain JSON must be chosen out loud (ALLOW_UNENCRYPTED_PAYLOADS=true): histories hold what users and
 * agents wrote, and whoever reads the Temporal database or UI would read it too.
 */
export function payloadDataConverter(config: Pick<Config, 'env' | 'payloads'>): DataConverter | undefined {
  const { keys, allowUnencrypted } = config.payloads;
  if (keys.length === 0) {
    if (config.env === 'production' && !allowUnencrypted) {
      throw new ConfigError(
        'PAYLOAD_ENCRYPTION_KEYS is not set: in production workflow histories are encrypted. Set a key ' +
          '(PAYLOAD_ENCRYPTION_KEYS=<id>=$(openssl rand -base64 32)), or ALLOW_UNENCRYPTED_PAYLOADS=true to store ' +
          'conversations in Temporal as plain text.',
      );
    }
    return undefined;
  }
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}
