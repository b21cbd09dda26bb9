/**
 * The threat the demo is about. Names and aliases are the public vendor
 * designations for the North Korean remote IT worker scheme; the descriptions
 * are written for this demo and say plainly that the data around them is synthetic.
 */
import type { DemoCampaign } from './demo.types';

export function demoCampaign(): DemoCampaign {
  return {
    threatActor: {
      name: 'DPRK remote IT workers',
      aliases: ['North Korean IT workers', 'DPRK IT worker network'],
      description:
        "Workers acting for the Democratic People's Republic of Korea who obtain remote jobs abroad under " +
        'stolen or invented identities, send their pay back to the regime and sometimes use their access ' +
        'to steal data or extort their employers. Cairn demo data: every persona, sighting and indicator ' +
        'linked to this actor is synthetic.',
    },
    intrusionSet: {
      name: 'Famous Chollima',
      aliases: ['Jasper Sleet', 'UNC5267'],
      description:
        'Activity cluster behind fraudulent remote hiring: fabricated résumés and online profiles, ' +
        'interviews run through VPNs, company laptops shipped to US "laptop farms" and operated remotely, ' +
        'salaries paid out through intermediaries and cryptocurrency wallets. In the Cairn demo, personas ' +
        'share laptop-farm IPs, addresses and wallets so that members can link them.',
    },
  };
}
