import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { cellLabel } from '@cairn/tenancy';
import { ScreeningService } from './screening.service';
import { ScreenApplicantsArgs } from './dto/screen-applicants.input';
import { ApplicantFieldEnum, ApplicantScreeningModel } from './dto/applicant-screening.model';

@Resolver(() => ApplicantScreeningModel)
@UseGuards(AuthGuard)
export class ScreeningResolver {
  constructor(private readonly screening: ScreeningService) {}

  @Query(() => [ApplicantScreeningModel], {
    description:
      "Has any member seen any of these applicants' identifiers? Per applicant, in input order: the identifiers that match what the viewer may see, with counts and k-anonymous cells only (never who reported), the values that could not be parsed, and signals — never a verdict. The batch's distinct identifiers count against the tenant's lookup quotas, as checkIdentifiers' values do (RATE_LIMITED when over; nothing is screened).",
  })
  @RequireScopes('intel:read')
  async screenApplicants(@CurrentViewer() viewer: Viewer, @Args() args: ScreenApplicantsArgs): Promise<ApplicantScreeningModel[]> {
    const answers = await this.screening.screenApplicants(viewer, args.applicants);
    return answers.map((a) => ({
      ...a,
      matches: a.matches.map((m) => ({
        ...m,
        field: m.field as ApplicantFieldEnum,
        cells: m.cells.map((c) => ({ ...c, label: cellLabel(c) })),
      })),
      rejected: a.rejected.map((r) => ({ ...r, field: r.field as ApplicantFieldEnum })),
      signals: { ...a.signals, matchedFields: a.signals.matchedFields as ApplicantFieldEnum[] },
    }));
  }
}
