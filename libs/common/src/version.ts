/** Reported by serverInfo and TAXII discovery. */
export const CAIRN_VERSION = '0.1.0';
