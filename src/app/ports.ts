import net from 'node:net';

/** A port flexcord needs is taken: says which, and which setting moves it. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly setting: string,
    what: string,
  ) {
    super(
      `port ${port} is already in use (${what}). Is another flexcord running? Stop it, or set ${setting} to a free port.`,
    );
  }
}

export interface WantedPort {
  port: number;
  /** The address the server will bind; a listener on 0.0.0.0 or on this address makes it fail. */
  host: string;
  setting: string;
  what: string;
}

/**
 * Checks each port by binding it briefly. The embedded Temporal server only logs a failed bind and the SDK then
 * connects to whatever answers on that port (another flexcord's server), so the check has to come first.
 * Port 0 means "any free port" and is never taken.
 */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  for (const w of wanted) {
    if (w.port === 0) continue;
    if (!(await canBind(w.port, w.host))) throw new PortInUseError(w.port, w.setting, w.what);
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(false) : reject(err),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
