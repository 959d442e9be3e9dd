import { type Router } from 'express';
import { type RoleContext } from '../../app/role';
import { codecRouter } from './codec-router';

/** Where the codec endpoint lives on the webhook server; the Web UI's codec setting points here. */
export const CODEC_MOUNT = '/codec';

/** The codec endpoint for the Temporal Web UI and CLI, with the payload codec every client and worker uses. */
export function codecRouters(
  ctx: Pick<RoleContext, 'config' | 'logger' | 'target'>,
): { path: string; router: Router }[] {
  const codec = ctx.target.dataConverter?.payloadCodecs?.[0];
  const { codecToken, codecCorsOrigins } = ctx.config.payloads;
  if (codec && !codecToken) {
    ctx.logger.warn(
      'CODEC_ENDPOINT_TOKEN is not set: the Web UI cannot decode payloads (/codec answers 503)',
    );
  }
  return [
    {
      path: CODEC_MOUNT,
      router: codecRouter({
        codec,
        token: codecToken,
        corsOrigins: codecCorsOrigins,
        logger: ctx.logger,
      }),
    },
  ];
}

/** The endpoint the Web UI calls: the token rides in the path, since the UI cannot add a header of ours. */
export function uiCodecEndpoint(httpBase: string, token: string): string {
  return `${httpBase.replace(/\/+$/, '')}${CODEC_MOUNT}/t/${encodeURIComponent(token)}`;
}
