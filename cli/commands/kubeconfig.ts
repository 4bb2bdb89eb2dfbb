// `kinglet kubeconfig --data-dir DIR`: print the admin kubeconfig of an initialized data dir.
import type { Command } from '../command.js';
import { stringFlag } from '../command.js';

export const kubeconfigCommand: Command = {
  spec: {
    name: 'kubeconfig',
    summary: 'Print the admin kubeconfig of an apiserver data directory.',
    description: 'Use it as: kinglet kubeconfig --data-dir DIR > ~/.kube/config',
    flags: [
      { name: 'data-dir', type: 'string', valueName: 'DIR', required: true, description: 'the apiserver data directory' },
    ],
  },
  async run(args, io) {
    try {
      const { readAdminKubeconfig } = await import('../../apiserver/config.js');
      const text = await readAdminKubeconfig(stringFlag(args, 'data-dir'));
      io.stdout(text.endsWith('\n') ? text : text + '\n');
      return 0;
    } catch (e) {
      io.stderr(`error: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
