import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { isSector, unknownSectorMessage } from '@cairn/tenancy';
import { StatsService } from './stats.service';
import { SightingError, SightingErrorCode } from './sightings.errors';
import { SectorStatsModel, StatsIntervalEnum } from './dto/stats.dto';

const DAY_MS = 86_400_000;

@Resolver(() => SectorStatsModel)
@UseGuards(AuthGuard)
export class StatsResolver {
  constructor(private readonly stats: StatsService) {}

  @Query(() => SectorStatsModel, {
    description:
      'Counts per day or week, top identities, spread across areas and roles (default: the last 90 days), over from and to widened to whole ISO weeks (UTC).',
  })
  @RequireScopes('intel:read')
  async sectorStats(
    @CurrentViewer() viewer: Viewer,
    @Args('sector') sector: string,
    @Args('countries', { type: () => [String], nullable: true }) countries?: string[],
    @Args('from', { nullable: true, description: 'Moved back to its Monday 00:00 UTC' }) from?: Date,
    @Args('to', { nullable: true, description: 'Excluded; moved on to the next Monday 00:00 UTC unless it is one' }) to?: Date,
    @Args('interval', { type: () => StatsIntervalEnum, defaultValue: StatsIntervalEnum.WEEK }) interval = StatsIntervalEnum.WEEK,
  ): Promise<SectorStatsModel> {
    if (!isSector(sector)) throw new SightingError(SightingErrorCode.INVALID_SECTOR, unknownSectorMessage(sector), 'sector');
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 90 * DAY_MS);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end)
      throw new SightingError(SightingErrorCode.INVALID_WINDOW, 'from must be before to', 'from');
    if (end.getTime() - start.getTime() > 10 * 366 * DAY_MS)
      throw new SightingError(SightingErrorCode.INVALID_WINDOW, 'The window may span at most ten years', 'from');
    return this.stats.sectorStats(viewer, { sector, countries, from: start, to: end, interval });
  }
}
