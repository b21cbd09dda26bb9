import { fail, ok, type Normalised } from './result';

const ETH = /^0x[0-9a-fA-F]{40}$/;
const BTC_BECH32 = /^(?:bc1[ac-hj-np-z02-9]{8,87}|BC1[AC-HJ-NP-Z02-9]{8,87})$/;
const BTC_BASE58 = /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/;
// Payment URIs name the address after the scheme: BIP-21 `bitcoin:<address>?amount=…`,
// EIP-681 `ethereum:<address>@<chain id>/<function>?…`.
const PAYMENT_URI = /^(?:bitcoin|ethereum):(?:pay-)?([^?@/]+)(?:[@/?].*)?$/i;

/** The address in a payment URI, or the text itself. */
function addressOf(input: string): string {
  const text = input.trim();
  return PAYMENT_URI.exec(text)?.[1] ?? text;
}

/** True for an Ethereum address or a Bitcoin base58/bech32 address, bare or in a payment URI (shape only, no checksum). */
export function isWalletAddress(text: string): boolean {
  const a = addressOf(text);
  return ETH.test(a) || BTC_BECH32.test(a) || BTC_BASE58.test(a);
}

/**
 * A wallet address as its chain compares it: Ethereum (and EVM chains) lower-case, since the mixed
 * case of EIP-55 is only a checksum; Bitcoin bech32 lower-case (BIP-173 allows one case, either);
 * Bitcoin base58 as written (base58 is case-sensitive). A payment URI gives its address.
 */
export function normaliseWallet(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const a = addressOf(input);
  if (ETH.test(a) || BTC_BECH32.test(a)) return ok(a.toLowerCase());
  if (BTC_BASE58.test(a)) return ok(a);
  return fail('not a Bitcoin (base58 or bech32) or Ethereum address');
}
