import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
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
    : localTarget(`localhost:${config.temporal.devPort}`, config.temporal.namespace, config);
}

/** Temporal did not answer: said in one line with the address, since it is nearly always configuration. */
export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
  constructor(target: TemporalTarget, cause: unknown) {
    super(
      `cannot reach Temporal at ${target.address} (namespace ${target.namespace}): ${(cause as Error).message}. ` +
        'Check TEMPORAL_ADDRESS and its credentials, or unset it to run the embedded dev server.',
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

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(target.connectionOptions);
  } catch (err) {
    throw new TemporalUnreachableError(target, err);
  }
}
