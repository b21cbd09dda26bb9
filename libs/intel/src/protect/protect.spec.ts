import { describesPublisher } from '../anonymise/identities';
import { PROTECTED_PLACEHOLDER, protectedKey } from './protected-key';
import { identityClassOf, isIndividual, protectedKindOfProperty, protectedPropertiesOf } from './protected-properties';
import { protectObjects } from './protect';
import { rewriteProtectedPattern } from './pattern-rewrite';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const key = (kind: Parameters<typeof protectedKey>[0], v: string) => protectedKey(kind, v, SECRET);
const identity = (props: Record<string, unknown>) => ({ type: 'identity', spec_version: '2.1', id: 'identity--1', ...props });

describe('individual identities', () => {
  it.each(['individual', 'Individual', 'INDIVIDUAL', ' individual ', 'indi\u200bvidual', 'ｉｎｄｉｖｉｄｕａｌ'])(
    'identity_class %p is an individual: name hashed, contact details and description replaced',
    (cls) => {
      const person = identity({
        name: 'Octavia Pemberwick',
        identity_class: cls,
        contact_information: '+49 30 1234567',
        description: 'lives at 77 Larkspur Close, Leeds',
      });
      expect(isIndividual(person)).toBe(true);
      const out = protectObjects([person], SECRET, false);
      expect(out.problems).toEqual([]);
      expect(person).toMatchObject({
        name: `protected:${key('person-name', 'octavia pemberwick')}`,
        identity_class: cls, // the publisher's spelling stays: only the comparison folds it
        contact_information: PROTECTED_PLACEHOLDER,
        description: PROTECTED_PLACEHOLDER,
      });
      expect(out.rawValues).toContain('Octavia Pemberwick');
    },
  );

  it('hashes custom strings whose names say address, e-mail, phone or name, and leaves other custom properties to redaction', () => {
    const person = identity({
      name: 'Bartholomew Quince',
      identity_class: 'individual',
      x_home_address: '77 Larkspur Close, Leeds',
      x_private_email: 'B.Quince@Example.org',
      x_mobile_phone: '+44 113 496 0000',
      x_opencti_firstname: 'Bartholomew',
      x_opencti_score: 50,
      x_source_note: 'HR file',
    });
    expect(protectedPropertiesOf(person).map((p) => [p.prop, p.kind])).toEqual([
      ['name', 'person-name'],
      ['x_home_address', 'postal-address'],
      ['x_private_email', 'email'],
      ['x_mobile_phone', 'phone'],
      ['x_opencti_firstname', 'person-name'],
    ]);
    const out = protectObjects([person], SECRET, false);
    expect(out.problems).toEqual([]);
    expect(person).toMatchObject({
      x_home_address: `protected:${key('postal-address', '77 larkspur close, leeds')}`,
      x_private_email: `${key('email', 'b.quince@example.org')}@protected.invalid`,
      x_mobile_phone: `protected:${key('phone', '+441134960000')}`,
      x_opencti_firstname: `protected:${key('person-name', 'bartholomew')}`,
      x_opencti_score: 50,
      x_source_note: 'HR file',
    });
    // Known values, so that redaction removes them from the rest of the bundle.
    expect([...out.rawValues]).toEqual(expect.arrayContaining(['77 Larkspur Close, Leeds', 'Bartholomew', '+441134960000']));
    // The lookup index reads these keys from the protection extension.
    expect(protectedKindOfProperty('identity', 'x_home_address')).toBe('postal-address');
    expect(protectedKindOfProperty('identity', 'x_private_email')).toBe('email');
  });

  it.each([{ identity_class: 'unknown' }, {}, { identity_class: 'organization' }, { identity_class: 'individuals' }])(
    'an identity %p is not taken for a person, whatever its name (it may be an organisation)',
    (cls) => {
      const other = identity({ name: 'Octavia Pemberwick', description: 'Recruiter', x_home_address: 'Leeds', ...cls });
      expect(isIndividual(other)).toBe(false);
      protectObjects([other], SECRET, false);
      expect(other).toMatchObject({ name: 'Octavia Pemberwick', description: 'Recruiter', x_home_address: 'Leeds' });
    },
  );

  it('with keepRaw (a closed-audience raw share) keeps the values and adds the keys', () => {
    const person = identity({ name: 'Octavia Pemberwick', identity_class: 'Individual', description: 'a person' });
    protectObjects([person], SECRET, true);
    expect(person).toMatchObject({ name: 'Octavia Pemberwick', description: 'a person' });
    expect(JSON.stringify(person)).toContain(key('person-name', 'octavia pemberwick'));
  });

  it('an individual written "Individual" is never taken for the publisher, as "individual" is not', () => {
    const facts = {
      name: 'Acme Corp',
      domains: ['acme.example'],
      redactionTerms: [],
      attribution: 'ANONYMOUS' as const,
      stixIdentityId: 'identity--p',
    };
    for (const cls of ['individual', 'Individual', 'CLASS'])
      expect(describesPublisher(identity({ name: 'Acme Corp', identity_class: cls }), facts)).toBe(false);
    expect(describesPublisher(identity({ name: 'Acme Corp', identity_class: 'Organization' }), facts)).toBe(true);
    expect(identityClassOf(identity({}))).toBeUndefined();
  });
});

describe('values that do not normalise', () => {
  it('are refused, and their text is still a raw value for redaction elsewhere', () => {
    const phone = { type: 'phone-number', spec_version: '2.1', id: 'phone-number--1', value: ' 030 98765432 ' };
    const out = protectObjects([phone], SECRET, false);
    expect(out.problems).toMatchObject([{ code: 'INVALID_IDENTIFIER', path: '$.objects[0].value' }]);
    expect([...out.rawValues]).toEqual(['030 98765432']);
  });

  it('in a pattern are refused, and their text is still a raw value', () => {
    const r = rewriteProtectedPattern("[phone-number:value = '０３０ 98765432']", SECRET);
    expect(r.problems).toMatchObject([{ code: 'INVALID_IDENTIFIER' }]);
    expect(r.rawValues).toEqual(['030 98765432']);
  });
});
