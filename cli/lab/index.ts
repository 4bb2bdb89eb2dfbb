// The lab implementation behind `kinglet lab` (loaded lazily by cli/commands/lab.ts).
export { labUp } from './up.js';
export { labDown } from './down.js';
export { labStatusLines } from './status.js';
export { readState } from './state.js';
export { interrupted } from './proc.js';
export { labStopNode } from './stop-node.js';
