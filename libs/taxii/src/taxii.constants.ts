/** The TAXII media type every response carries, and POST bodies must. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The one STIX version the collections hold. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
/** Where TAXII lives, and the path of Cairn's single API root under it. */
export const TAXII_BASE = 'taxii2';
export const API_ROOT = 'api';
export const API_ROOT_PATH = `${TAXII_BASE}/${API_ROOT}`;
