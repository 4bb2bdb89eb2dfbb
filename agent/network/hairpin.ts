// Hairpin mode on the pod bridge's ports, so a pod reaching its own Service gets an answer. With
// br_netfilter (Docker loads it) the Service DNAT happens while the frame is still being bridged,
// and a bridge sends a frame back out the port it came in on only when that port is in hairpin
// mode (the lab e2e saw the connection time out without it). Docker turns it on only with its
// userland proxy off, a daemon-wide setting, so the agent does what the kubelet's hairpin-veth
// mode does: after each sandbox start, every port of the pod bridge not yet in hairpin mode.
import type { Logger } from '../../lib/logger.js';

export interface BridgePort {
  name: string;
  hairpin: boolean;
}

/** The `ip` calls this needs (agent/network/ip.ts); unit tests pass a fake. */
export interface BridgePortsIp {
  /** the bridge's ports; [] when the bridge does not exist (yet) */
  bridgePorts(bridge: string): Promise<BridgePort[]>;
  setHairpin(ports: string[]): Promise<void>;
}

export class BridgeHairpin {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly bridge: string, private readonly ip: BridgePortsIp, private readonly log: Logger) {}

  /** Set hairpin mode on new ports soon; calls during a run become one more run. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** Resolves when no run is in flight (tests). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const off = (await this.ip.bridgePorts(this.bridge)).filter((p) => !p.hairpin).map((p) => p.name);
        if (off.length) {
          await this.ip.setHairpin(off);
          this.log.debug({ bridge: this.bridge, ports: off }, 'hairpin mode on');
        }
      } catch (e) {
        // a port that vanished between list and set is normal churn: the next start retries
        this.log.warn({ bridge: this.bridge, err: (e as Error).message }, 'setting hairpin mode failed');
      }
    } while (this.again);
  }
}
