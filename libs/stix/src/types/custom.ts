import type { StixCyberObservableBase } from './common';

// STIX 2.1 has no observable for these; the names follow OpenCTI so that
// bundles round-trip with it. They are custom SCOs (allowed without an x-
// prefix in 2.1) whose ids are deterministic over the properties noted.

/** E.164 phone number. Id from: value. */
export interface PhoneNumber extends StixCyberObservableBase {
  type: 'phone-number';
  value: string;
}

/** Cryptocurrency wallet address. Id from: value. */
export interface CryptocurrencyWallet extends StixCyberObservableBase {
  type: 'cryptocurrency-wallet';
  value: string;
}

/** Bank account. Id from: iban. */
export interface BankAccount extends StixCyberObservableBase {
  type: 'bank-account';
  iban: string;
  bic?: string;
  account_number?: string;
}

/** A fabricated or real persona (e.g. a job-applicant identity). Id from: persona_name + persona_type. */
export interface Persona extends StixCyberObservableBase {
  type: 'persona';
  persona_name: string;
  persona_type: string;
}

export type CairnCustomObservable = PhoneNumber | CryptocurrencyWallet | BankAccount | Persona;

/** Type names of the custom observables this library knows. */
export const CUSTOM_OBSERVABLE_TYPES = ['phone-number', 'cryptocurrency-wallet', 'bank-account', 'persona'] as const;
