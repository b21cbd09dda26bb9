import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

/** Liveness plus database reachability; 503 when the database does not answer. */
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async health(@Res() res: Response): Promise<void> {
    const database = await this.pingDatabase();
    res.status(database === 'up' ? 200 : 503).json({ status: database === 'up' ? 'ok' : 'error', database });
  }

  private async pingDatabase(): Promise<'up' | 'down'> {
    if (!this.dataSource.isInitialized) return 'down';
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return 'up';
    } catch {
      return 'down';
    }
  }
}
