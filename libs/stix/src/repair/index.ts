// Repair mode for real-world feeds: pure, explicit and reported (see repair.ts).
export { repairBundle, RepairCode, type RepairResult, type StixRepair } from './repair';
export { lowerCaseIds, type IdCaseChange } from './id-case';
export { batchesOf, referenceOrder, referencedIds } from './batches';
