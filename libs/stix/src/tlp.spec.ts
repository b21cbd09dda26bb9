import {
  compareTlp,
  highestTlp,
  isTlpMarkingRef,
  TLP1_MARKINGS,
  TLP2_MARKINGS,
  TLP_LEVELS,
  tlpFromMarkingDefinition,
  tlpFromMarkingRefs,
  tlpMarkingRef,
} from './tlp';
import { validate } from './validate';

describe('TLP markings', () => {
  it('orders CLEAR < GREEN < AMBER < AMBER+STRICT < RED', () => {
    for (let i = 1; i < TLP_LEVELS.length; i++) expect(compareTlp(TLP_LEVELS[i - 1], TLP_LEVELS[i])).toBeLessThan(0);
    expect(highestTlp('AMBER+STRICT', 'AMBER')).toBe('AMBER+STRICT');
    expect(highestTlp('GREEN', 'RED')).toBe('RED');
  });

  it('uses the standard TLP 2.0 ids', () => {
    expect(tlpMarkingRef('CLEAR')).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
    expect(tlpMarkingRef('AMBER+STRICT')).toBe('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
    expect(tlpMarkingRef('RED')).toBe('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
  });

  it('reads the most restrictive level from marking refs, mapping TLP 1.0 ids', () => {
    expect(tlpFromMarkingRefs([tlpMarkingRef('GREEN'), 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'])).toBe('RED');
    expect(tlpFromMarkingRefs(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'])).toBe('CLEAR');
    expect(tlpFromMarkingRefs(['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', tlpMarkingRef('GREEN')])).toBe('AMBER');
    expect(tlpFromMarkingRefs(['marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'])).toBeUndefined();
    expect(tlpFromMarkingRefs(undefined)).toBeUndefined();
    expect(tlpFromMarkingRefs([42, null])).toBeUndefined();
    expect(isTlpMarkingRef(tlpMarkingRef('AMBER'))).toBe(true);
  });

  it('ships marking objects that are valid STIX and declare their own level', () => {
    for (const level of TLP_LEVELS) {
      expect(validate(TLP2_MARKINGS[level])).toEqual([]);
      expect(tlpFromMarkingDefinition(TLP2_MARKINGS[level])).toBe(level);
    }
    for (const m of Object.values(TLP1_MARKINGS)) expect(validate(m)).toEqual([]);
    expect(tlpFromMarkingDefinition(TLP1_MARKINGS.WHITE)).toBe('CLEAR');
    expect(Object.isFrozen(TLP2_MARKINGS.RED)).toBe(true);
  });
});
