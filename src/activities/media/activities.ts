import { toActivityFailure } from '../twilio/retry-policy';
import { type CustomerMediaPort, type RelayedAttachment } from './port';

export interface CustomerMediaDeps {
  customerMedia: CustomerMediaPort;
}

/**
 * The customer-file relay: download from Discord, upload to Twilio, post, in one activity so the bytes never
 * travel through workflow history. A file Flex would refuse, or one whose link is gone, comes back refused (not an
 * error: retrying cannot change it); Twilio and network failures are retried like every Twilio call.
 */
export function createCustomerMediaActivities(deps: CustomerMediaDeps) {
  return {
    async relayCustomerAttachment(
      input: Parameters<CustomerMediaPort['relay']>[0],
    ): Promise<RelayedAttachment> {
      try {
        return await deps.customerMedia.relay(input);
      } catch (err) {
        throw toActivityFailure(err, 'relayCustomerAttachment');
      }
    },
  };
}
