import { type CaseDetail } from '../activities/cases/port';
import { type SupportStats } from '../analytics/support-stats';
import { type UserBlock } from '../moderation/block-list';
import { type CaseSummary } from '../shared/case-types';
import { SandboxActionError } from './actions';

/** What flexcord's API answered when it refused (its error message, e.g. "case #9 does not exist"). */
export class StaffApiError extends SandboxActionError {
  override name = 'StaffApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface BlockRequest {
  guild: string;
  user: string;
  reason: string;
  /** Lift the block after this many days; unset: until unblocked. */
  days?: number;
}

/**
 * The sandbox's staff, as a client of flexcord's own HTTP API (`/api` on the webhooks role, with the bearer token
 * the sandbox made for itself): the same routes an operator's tooling calls, so the playground's staff view shows
 * and changes exactly what the API does, never the stores directly.
 */
export class StaffApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async listCases(): Promise<CaseSummary[]> {
    return (await this.call<{ cases: CaseSummary[] }>('GET', '/api/cases?limit=100')).cases;
  }

  async showCase(caseNumber: number): Promise<CaseDetail> {
    return (await this.call<{ case: CaseDetail }>('GET', `/api/cases/${caseNumber}`)).case;
  }

  /** A private note on the case: staff and agents see it, the reporter never does. */
  async addNote(caseNumber: number, note: string, actor: string): Promise<void> {
    await this.call('POST', `/api/cases/${caseNumber}/note`, { note, actor });
  }

  async listBlocks(): Promise<UserBlock[]> {
    return (await this.call<{ blocks: UserBlock[] }>('GET', '/api/blocks')).blocks;
  }

  async block(request: BlockRequest, actor: string): Promise<UserBlock> {
    return (await this.call<{ block: UserBlock }>('POST', '/api/blocks', { ...request, actor })).block;
  }

  async unblock(guildId: string, userId: string): Promise<{ lifted: boolean }> {
    return this.call('DELETE', `/api/blocks/${guildId}/${userId}`);
  }

  /** `GET /api/stats`: the period as `flexcord stats` takes it (`since` 7d, or a date). */
  async stats(query: { guild?: string; since?: string }): Promise<SupportStats> {
    const params = new URLSearchParams();
    if (query.guild) params.set('guild', query.guild);
    if (query.since) params.set('since', query.since);
    return this.call('GET', `/api/stats?${params.toString()}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json().catch(() => ({}))) as {
      message?: string;
      issues?: { path: string; message: string }[];
    };
    if (!res.ok) {
      const detail =
        answer.message ?? answer.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') ?? res.statusText;
      throw new StaffApiError(`the API answered ${res.status}: ${detail}`, res.status);
    }
    return answer as T;
  }
}
