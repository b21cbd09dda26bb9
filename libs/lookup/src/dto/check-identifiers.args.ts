import { ArgsType, Field } from '@nestjs/graphql';

@ArgsType()
export class CheckIdentifiersArgs {
  @Field(() => [String], {
    description:
      'E-mail addresses, phone numbers (with country code), IPs, domains, URLs, file hashes, wallets or handles (github:login, @telegram). At most MAX_CHECK_IDENTIFIERS (default 1,000) per call.',
  })
  values: string[];
}
