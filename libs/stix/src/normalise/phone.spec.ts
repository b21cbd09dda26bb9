import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { normalisePhone, phoneDigits } from './phone';

// normalisePhone skips libphonenumber's full parse where the calling code's national prefix cannot
// follow; it must answer exactly as the full parse would, for every country's example number, as
// written and with a trunk 0 or its national prefix after the country code.
describe('normalisePhone agrees with libphonenumber for every country', () => {
  const reference = (input: string) => {
    const digits = phoneDigits(input);
    if (!digits.ok) return `ERR ${digits.reason}`;
    const n = parsePhoneNumberFromString(digits.value);
    return n && n.isPossible() ? n.number : digits.value;
  };
  const inputs = Object.entries(examples as Record<string, string>).flatMap(([country, national]) => {
    const cc = getCountryCallingCode(country as CountryCode);
    return [`+${cc}${national}`, `+${cc} 0${national}`, `+${cc} (0)${national}`, `+${cc}1${national}`, `+${cc}8${national}`];
  });

  it(`on ${inputs.length} numbers`, () => {
    expect(inputs.length).toBeGreaterThan(1000);
    const disagree = inputs.filter((i) => {
      const n = normalisePhone(i);
      return (n.ok ? n.value : `ERR ${n.reason}`) !== reference(i);
    });
    expect(disagree).toEqual([]);
  });
});
