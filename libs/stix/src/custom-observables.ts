import { scoId, uuidV5 } from './ids';
import type { ExtensionDefinition } from './types/meta';

// Cairn publishes its custom observables the STIX 2.1 way: an extension
// definition of type new-sco, referenced from each object's extensions.
const CAIRN_NAMESPACE = 'b1f2c4f8-3c1a-4f4e-9b6e-0d7f5d0c2a11';

/** The identity Cairn (the exchange) signs its own definitions with. */
export const CAIRN_IDENTITY_ID = `identity--${uuidV5(CAIRN_NAMESPACE, 'cairn-exchange')}`;

/** Id of the extension definition that declares phone-number, cryptocurrency-wallet, bank-account and persona. */
export const CAIRN_OBSERVABLES_EXTENSION_ID = `extension-definition--${uuidV5(CAIRN_NAMESPACE, 'cairn-custom-observables-v1')}`;

/** The extension-definition object for Cairn's custom observables. */
export const CAIRN_OBSERVABLES_EXTENSION: ExtensionDefinition = Object.freeze({
  type: 'extension-definition',
  spec_version: '2.1',
  id: CAIRN_OBSERVABLES_EXTENSION_ID as ExtensionDefinition['id'],
  created_by_ref: CAIRN_IDENTITY_ID as ExtensionDefinition['created_by_ref'],
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: 'Cairn custom observables',
  description:
    'phone-number (value), cryptocurrency-wallet (value), bank-account (iban, bic, account_number), persona (persona_name, persona_type); names follow OpenCTI.',
  schema: 'https://cairn.example/schemas/custom-observables-v1.json',
  version: '1.0.0',
  extension_types: ['new-sco'],
}) as ExtensionDefinition;

type CustomType = 'phone-number' | 'cryptocurrency-wallet' | 'bank-account' | 'persona';

/** A custom observable with its deterministic id and the new-sco extension reference filled in. */
export function customObservable<T extends CustomType>(
  type: T,
  props: Record<string, unknown>,
): { type: T; id: string } & Record<string, unknown> {
  const object: { type: T } & Record<string, unknown> = {
    type,
    spec_version: '2.1',
    ...props,
    extensions: { [CAIRN_OBSERVABLES_EXTENSION_ID]: { extension_type: 'new-sco' } },
  };
  return { ...object, id: scoId(object) };
}
