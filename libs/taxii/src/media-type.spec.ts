import { isTaxiiContentType, negotiate } from './media-type';

const TAXII = 'application/taxii+json;version=2.1';

describe('TAXII media types', () => {
  it.each([
    [undefined, TAXII],
    ['', TAXII],
    ['application/taxii+json;version=2.1', TAXII],
    ['application/taxii+json; version="2.1"', TAXII],
    ['application/taxii+json', TAXII],
    ['*/*', TAXII],
    ['application/*', TAXII],
    ['text/html, application/taxii+json;version=2.1;q=0.9', TAXII],
    ['application/json', 'application/json'],
    ['application/json, application/taxii+json;version=2.1', TAXII],
    ['application/taxii+json;version=2.0', null],
    ['application/vnd.oasis.taxii+json; version=2.0', null],
    ['text/html', null],
    ['application/taxii+json;version=2.1;q=0', null],
    ['garbage', null],
  ])('Accept %p → %p', (accept, expected) => {
    expect(negotiate(accept)).toBe(expected);
  });

  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version=2.1; charset=utf-8', true],
    ['application/taxii+json', true],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    [undefined, false],
  ])('Content-Type %p → %p', (type, ok) => {
    expect(isTaxiiContentType(type)).toBe(ok);
  });
});
