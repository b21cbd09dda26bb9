import { ArgsType, Field, InputType } from '@nestjs/graphql';

@InputType('HandleInput', { description: 'A handle with its platform apart, as an applicant-tracking export has it.' })
export class HandleInput {
  @Field({ description: 'github, gitlab, linkedin, telegram (tg) or twitter (x).' })
  platform: string;

  @Field({ description: 'A login, @login, or a profile URL on that platform (LinkedIn: the /in/ URL or its slug).' })
  value: string;
}

@InputType('ApplicantInput', {
  description:
    'One applicant: your own reference and whatever identifiers you hold (at most 100 values). Résumés are hashed on your side: send the SHA-256, never the file.',
})
export class ApplicantInput {
  @Field({ description: 'Your own reference (1–200 characters), echoed in the answer; never stored or logged.' })
  ref: string;

  @Field(() => [String], { nullable: true })
  emails?: string[];

  @Field(() => [String], { nullable: true, description: 'With their country code (+44 …, 0044 …), or read in `country`.' })
  phones?: string[];

  @Field(() => [HandleInput], { nullable: true })
  handles?: HandleInput[];

  @Field(() => [String], {
    nullable: true,
    description: 'Person names, matched as keyed hashes of their NFKC lower-case single-spaced form.',
  })
  names?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'SHA-256 of résumé files: 64 hex digits (any case, optional sha256: prefix) or 44 base64 characters.',
  })
  resumeHashes?: string[];

  @Field(() => [String], { nullable: true, description: 'IPv4 or IPv6 addresses.' })
  ips?: string[];

  @Field(() => [String], { nullable: true, description: 'Bitcoin or Ethereum addresses, or bitcoin: / ethereum: payment URIs.' })
  wallets?: string[];

  @Field(() => [String], { nullable: true, description: 'Postal addresses, matched as keyed hashes.' })
  addresses?: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166 alpha-2 country in which phone numbers without a country code are read.' })
  country?: string;
}

@ArgsType()
export class ScreenApplicantsArgs {
  @Field(() => [ApplicantInput], { description: 'At most MAX_SCREEN_APPLICANTS (default 1,000) per call.' })
  applicants: ApplicantInput[];
}
