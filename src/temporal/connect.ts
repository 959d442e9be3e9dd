import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { type Config } from '../config';
import { payloadDataConverter } from './data-converter';

/** Where and how to reach Temporal: either the embedded dev server or a cluster configured the standard way. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  /** TLS, API key and headers from @temporalio/envconfig (TEMPORAL_API_KEY, TEMPORAL_TLS_*, temporal.toml). */
  connectionOptions: Awaited<ReturnType<typeof loadClientConnectConfig>>['connectionOptions'];
  /** The payload codec every client and worker on this target uses (PAYLOAD_ENCRYPTION_KEYS); unset: plain JSON. */
  dataConverter?: DataConverter;
  /** True when this is where `flexcord start` runs its embedded dev server (TEMPORAL_ADDRESS unset). */
  embedded?: boolean;
}

/** A cluster configured through TEMPORAL_ADDRESS and the other standard TEMPORAL_* variables or temporal.toml. */
export function clusterTarget(config: Config): TemporalTarget {
  const loaded = loadClientConnectConfig();
  const address = config.temporal.address ?? loaded.connectionOptions.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const dataConverter = payloadDataConverter(config);
  return {
    address,
    namespace: loaded.namespace ?? config.temporal.namespace,
    connectionOptions: { ...loaded.connectionOptions, address },
    ...(dataConverter ? { dataConverter } : {}),
  };
}

/** The embedded dev server (or a test's); with `config`, payloads are encrypted as configured. */
export function localTarget(
  address: string,
  namespace: string,
  config?: Pick<Config, 'env' | 'payloads'>,
): TemporalTarget {
  const dataConverter = config && payloadDataConverter(config);
  return { address, namespace, connectionOptions: { address }, ...(dataConverter ? { dataConverter } : {}) };
}

/**
 * Where a command-line tool finds Temporal: the configured cluster, or the embedded dev server `flexcord start`
 * runs on this machine; with the same payload codec as the running roles.
 */
export function commandLineTarget(config: Config): TemporalTarget {
  return config.temporal.address
    ? clusterTarget(config)
    : {
        ...localTarget(`localhost:${config.temporal.devPort}`, config.temporal.namespace, config),
        embedded: true,
      };
}

/**
 * What to do when Temporal does not answer. Without TEMPORAL_ADDRESS nothing is wrong with the settings: flexcord
 * is simply not running, and a newcomer needs to hear how to start it.
 */
export function unreachableAdvice(target: Pick<TemporalTarget, 'address' | 'embedded'>): string {
  if (target.embedded) {
    return (
      `nothing answers at ${target.address}, where \`flexcord start\` runs its embedded Temporal dev server: start ` +
      'flexcord first with `npm start` (the offline sandbox when no Discord or Twilio credentials are set) in ' +
      'another terminal and try again; to use a Temporal cluster instead, set TEMPORAL_ADDRESS'
    );
  }
  return (
    `check that Temporal runs at ${target.address} and this machine can reach it, and its namespace and ` +
    'credentials (TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_*); or unset TEMPORAL_ADDRESS to use the ' +
    'embedded dev server `npm start` runs'
  );
}

/** Temporal did not answer: said in one line with the address, since it is nearly always configuration. */
export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
  constructor(target: TemporalTarget, cause: unknown) {
    super(
      `cannot reach Temporal at ${target.address} (namespace ${target.namespace}): ${(cause as Error).message}. ` +
        `To fix: ${unreachableAdvice(target)}.`,
      { cause },
    );
  }
}

export async function connectClient(
  target: TemporalTarget,
  /** Around every workflow call the client makes (metrics, traces). */
  interceptors: WorkflowClientInterceptor[] = [],
): Promise<{ client: Client; connection: Connection }> {
  try {
    const connection = await Connection.connect(target.connectionOptions);
    const client = new Client({
      connection,
      namespace: target.namespace,
      interceptors: { workflow: interceptors },
      ...(target.dataConverter ? { dataConverter: target.dataConverter } : {}),
    });
    return { client, connection };
  } catch (err) {
    throw new TemporalUnreachableError(target, err);
  }
}
