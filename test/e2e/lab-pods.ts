// The lab Service tests' pods live in bench/lib (the lab network benchmark uses them too).
export { podShell, webPod, type PodShell } from '../../bench/lib/lab-pods.js';

/** Names of the servers that answered, one per line of "server=NAME ...". */
export const servers = (out: string): string[] => [...out.matchAll(/server=(\S+)/g)].map((m) => m[1]!);
