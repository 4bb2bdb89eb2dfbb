// The sandbox ("pause") image is built by the agent from the node's own busybox-static binary and
// imported with `docker import`, never pulled: nodes have no route to a public registry. Its only
// job is to hold the pod's network/IPC namespaces and to exit promptly on SIGTERM.
import { readFile } from 'node:fs/promises';
import { writeTar, type TarEntry } from './tar.js';

export const SANDBOX_REPO = 'kinglet/pause';
/** Bump when the rootfs or entrypoint below changes, so nodes build the new one. */
export const SANDBOX_TAG = '1';
export const SANDBOX_IMAGE = `${SANDBOX_REPO}:${SANDBOX_TAG}`;
export const BUSYBOX_PATH = process.env.KINGLET_BUSYBOX ?? '/bin/busybox';

// `sleep` alone would ignore SIGTERM as PID 1 and make every pod deletion wait its full grace period;
// a trap plus an interruptible `wait` exits at once.
export const PAUSE_SCRIPT = "#!/bin/sh\ntrap 'exit 0' TERM INT\nwhile :; do sleep 2147483 & wait $!; done\n";
export const SANDBOX_CHANGES = ['ENTRYPOINT ["/pause"]', 'CMD []', 'LABEL io.kinglet.sandbox-image=true'];

export function sandboxRootfs(busybox: Buffer): Buffer {
  const entries: TarEntry[] = [
    { name: 'bin/', type: 'dir' },
    { name: 'bin/busybox', type: 'file', mode: 0o755, data: busybox },
    { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    { name: 'bin/sleep', type: 'symlink', linkname: '/bin/busybox' },
    { name: 'pause', type: 'file', mode: 0o755, data: Buffer.from(PAUSE_SCRIPT) },
    { name: 'dev/', type: 'dir' },
    { name: 'proc/', type: 'dir' },
    { name: 'sys/', type: 'dir' },
    { name: 'etc/', type: 'dir' },
    { name: 'tmp/', type: 'dir', mode: 0o1777 },
  ];
  return writeTar(entries);
}

/** What building needs from the Docker side (DockerRuntime provides it). */
export interface SandboxImageHost {
  imageId(ref: string): Promise<string | undefined>;
  importImage(rootfs: Buffer, repo: string, tag: string, changes: string[]): Promise<void>;
}

const built = new WeakMap<SandboxImageHost, Promise<string>>();

/** Idempotent and memoized per host; a failure is not memoized so the next pod retries. */
export function ensureSandboxImage(host: SandboxImageHost, busyboxPath = BUSYBOX_PATH): Promise<string> {
  let p = built.get(host);
  if (!p) {
    p = (async () => {
      const existing = await host.imageId(SANDBOX_IMAGE);
      if (existing) return existing;
      const busybox = await readFile(busyboxPath).catch((e: Error) => {
        throw new Error(`sandbox image: cannot read ${busyboxPath} (install busybox-static): ${e.message}`);
      });
      await host.importImage(sandboxRootfs(busybox), SANDBOX_REPO, SANDBOX_TAG, SANDBOX_CHANGES);
      const id = await host.imageId(SANDBOX_IMAGE);
      if (!id) throw new Error(`sandbox image ${SANDBOX_IMAGE} missing after import`);
      return id;
    })();
    built.set(host, p);
    p.catch(() => built.delete(host));
  }
  return p;
}

/** Forget the memo (the image was removed behind our back, e.g. by hand). */
export function forgetSandboxImage(host: SandboxImageHost): void {
  built.delete(host);
}
