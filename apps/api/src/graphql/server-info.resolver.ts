import { CAIRN_VERSION } from '@cairn/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';

@ObjectType({ description: 'What this server speaks.' })
export class ServerInfo {
  @Field()
  name: string;

  @Field()
  version: string;

  @Field({ description: 'STIX version of the objects this server stores and serves.' })
  stixVersion: string;

  @Field({ description: 'TAXII version of the TAXII API.' })
  taxiiVersion: string;
}

@Resolver(() => ServerInfo)
export class ServerInfoResolver {
  @Query(() => ServerInfo, { description: 'Server name and protocol versions; needs no sign-in.' })
  serverInfo(): ServerInfo {
    return { name: 'Cairn', version: CAIRN_VERSION, stixVersion: '2.1', taxiiVersion: '2.1' };
  }
}
