import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum WatchEvent {
  PUBLISHED = 'PUBLISHED',
  SIGHTED = 'SIGHTED',
}
registerEnumType(WatchEvent, { name: 'WatchEvent', description: 'What another member did with a watched identifier.' });

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@InputType()
export class WatchInput {
  @Field({ description: 'The identifier to watch (e-mail, phone, handle, address, digest, wallet…): stored only as a keyed hash.' })
  value!: string;

  @Field({
    description: 'Your own reference (e.g. an applicant number), 1 to 200 characters, stored in clear: it must not contain the value.',
  })
  reference!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When to stop watching: default 90 days, at most 366 days ahead.' })
  expiresAt?: Date;
}

@ObjectType()
export class WatchResultModel {
  @Field() value!: string;
  @Field() reference!: string;
  @Field(() => ID, { nullable: true, description: 'The stored entry, or null when the value could not be parsed (see error).' })
  entryId!: string | null;
  @Field(() => String, { nullable: true }) kind!: string | null;
  @Field(() => String, { nullable: true }) expiresAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Why this value was not watched.' }) error!: string | null;
}

@ObjectType()
export class WatchEntryModel {
  @Field(() => ID) id!: string;
  @Field({ description: 'The kind of identifier (the value itself is never stored).' }) kind!: string;
  @Field() reference!: string;
  @Field() expiresAt!: string;
  @Field() createdAt!: string;
}

@ObjectType()
export class WatchCell {
  @Field() sector!: string;
  @Field() area!: string;
}

@ObjectType({ description: 'Another member published or sighted one of your watched identifiers: never who.' })
export class WatchHitModel {
  @Field({ description: 'Opaque, for your tenant only; resume a subscription after it.' }) cursor!: string;
  @Field(() => ID, { nullable: true, description: 'The entry that matched (null once the entry was removed).' }) entryId!: string | null;
  @Field() reference!: string;
  @Field() kind!: string;
  @Field(() => WatchEvent) event!: WatchEvent;
  @Field(() => WatchCell, { nullable: true, description: 'The crowd cell (sector + area) the publisher or sighter is counted in.' })
  cell!: WatchCell | null;
  @Field() hitAt!: string;
}

@ObjectType()
export class WatchHitPage {
  @Field(() => [WatchHitModel]) hits!: WatchHitModel[];
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'On the first page (no `after`): where a `watchlistHits` subscription resumes so that no hit recorded after this page is missed — the newest hit, or the start when there is none yet. Null on later pages.',
  })
  headCursor!: string | null;
}

@ObjectType()
export class WebhookModel {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field() createdAt!: string;
}

@ObjectType()
export class CreatedWebhook extends WebhookModel {
  @Field({ description: 'Shown this once: verify X-Cairn-Signature with it.' }) secret!: string;
}

@ObjectType()
export class WebhookDeliveryModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) webhookId!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true }) lastStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => String, { nullable: true }) nextAttemptAt!: string | null;
  @Field(() => String, { nullable: true }) deliveredAt!: string | null;
  @Field() createdAt!: string;
}
