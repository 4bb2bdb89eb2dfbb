// Rows for persistentvolumes and persistentvolumeclaims, after kubectl's printers (1.32).

import type { KubeObject } from '../../../api/types.js';
import { age, ageCol, col, nameCol, nameOf, wide, type Printer } from './format.js';

/** helper.GetAccessModesAsString: fixed order RWO, ROX, RWX, RWOP, duplicates dropped. */
export function accessModes(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** The beta annotation still wins over spec.storageClassName, as in the Go helper. */
function storageClass(obj: KubeObject): string {
  const ann = obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (ann !== undefined) return ann;
  return obj.spec?.storageClassName ?? '';
}

/** resource.Quantity.String() of a missing quantity is "0". */
const quantity = (q: unknown): string => (q === undefined || q === null || q === '' ? '0' : String(q));

export const persistentVolumePrinter: Printer = {
  columns: [
    nameCol(),
    col('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageCol(),
    wide('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells(obj, now) {
    const spec = obj.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = obj.metadata?.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');
    return [
      nameOf(obj),
      quantity(spec.capacity?.storage),
      accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClass(obj),
      spec.volumeAttributesClassName ?? '<unset>',
      obj.status?.reason ?? '',
      age(obj, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageCol(),
    wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells(obj, now) {
    const spec = obj.spec ?? {};
    const phase = obj.metadata?.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');
    // Capacity and modes are only shown once the claim is bound to a volume.
    const bound = !!spec.volumeName;
    return [
      nameOf(obj),
      phase,
      spec.volumeName ?? '',
      bound ? quantity(obj.status?.capacity?.storage) : '',
      bound ? accessModes(obj.status?.accessModes) : '',
      storageClass(obj),
      spec.volumeAttributesClassName ?? '<unset>',
      age(obj, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};
