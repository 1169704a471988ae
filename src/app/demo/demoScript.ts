/** The walk-through of `ptgw demo --script`: one accepted selection and every kind of reject. */
export interface ScriptStep {
  say: string;
  frames: string[];
  /** Index of the terminal to type on (default the first). */
  terminal?: number;
}

export const DEMO_SCRIPT: readonly ScriptStep[] = [
  { say: 'An accepted selection: Maintenance > Order 100 > Painting', frames: ['B0001234', 'K1', 'K100', 'K26'] },
  { say: 'A badge nobody has', frames: ['B9999999'] },
  { say: 'A person out of service', frames: ['B0000099'] },
  { say: 'A code that does not exist on level 1, then cancel', frames: ['B0001234', 'K9', 'C'] },
  { say: 'Cleaning (00026) expired on 2026-01-01', frames: ['B0001234', 'K1', 'K100', 'K00026', 'C'] },
  { say: 'Order 202 is not active until 2030', frames: ['B0001234', 'K2', 'K202', 'C'] },
  { say: 'Repair belongs to Order 101, not Order 200', frames: ['B0001234', 'K2', 'K200', 'K1101', 'C'] },
  { say: 'Packing is not among the operations Order 200 allows', frames: ['B0001234', 'K2', 'K200', 'K2003', 'C'] },
  { say: 'Rework has no usage for this person', frames: ['B0001234', 'K2', 'K200', 'K2004', 'C'] },
  { say: 'Person 42 may not use Maintenance (group 2 only has Quality)', frames: ['B0000042', 'K1', 'C'] },
  { say: 'Three wrong codes in a row end the dialog', frames: ['B0001234', 'K7', 'K8', 'K9'] },
  { say: 'A second accepted selection on the other terminal: Logistics > Order 300 > Unloading', frames: ['B0000013', 'K3', 'K300', 'K3001'], terminal: 1 },
];
