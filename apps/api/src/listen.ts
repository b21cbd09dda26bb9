import type { INestApplication } from '@nestjs/common';

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} is already in use on ${host}: stop the other process or set PORT to a free port.`);
    this.name = 'PortInUseError';
  }
}

/** Starts listening; a busy port becomes a PortInUseError with a message fit for the operator. */
export async function listen(app: INestApplication, host: string, port: number): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw err;
  }
}
