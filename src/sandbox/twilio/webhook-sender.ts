import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { seededRandom } from '../random-faults';

export interface Delivery {
  url: string;
  params: Record<string, string>;
  /** The HTTP status our side answered, or `dropped` when the fake was told to lose it. */
  outcome: number | 'dropped' | 'network_error';
  signature: string;
}

/**
 * Sends webhooks the way Twilio does: POST, application/x-www-form-urlencoded, with X-Twilio-Signature computed
 * from the auth token, the full URL and the sorted parameters (twilio-node's own algorithm).
 */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private dropNext = 0;
  private dropRandom?: { share: number; random: () => number };
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly authToken: string) {}

  /** The next `count` webhooks are lost on the way (Twilio does not retry post-event webhooks). */
  drop(count: number): void {
    this.dropNext += count;
  }

  /** From now on a share (0 to 1) of webhooks is lost at random, in the sequence `seed` gives. */
  dropShare(share: number, seed: number): void {
    this.dropRandom = share > 0 ? { share, random: seededRandom(seed) } : undefined;
  }

  send(url: string, params: Record<string, string>): Promise<void> {
    const delivery = this.deliver(url, params);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  /** Waits for every webhook sent so far. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(url: string, params: Record<string, string>): Promise<void> {
    const signature = getExpectedTwilioSignature(this.authToken, url, params);
    const randomDrop = this.dropRandom ? this.dropRandom.random() < this.dropRandom.share : false;
    if (this.dropNext > 0 || randomDrop) {
      if (!randomDrop) this.dropNext -= 1;
      this.deliveries.push({ url, params, outcome: 'dropped', signature });
      return;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1',
        },
        body: new URLSearchParams(params).toString(),
      });
      await response.arrayBuffer();
      this.deliveries.push({ url, params, outcome: response.status, signature });
    } catch {
      this.deliveries.push({ url, params, outcome: 'network_error', signature });
    }
  }
}
