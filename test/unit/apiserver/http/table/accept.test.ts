import { describe, expect, it } from 'vitest';
import { parseTableAccept, tableAcceptVersion } from '../../../../../apiserver/http/table/index.ts';

const KUBECTL =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('parseTableAccept', () => {
  it('recognises the header kubectl get sends', () => {
    expect(parseTableAccept(KUBECTL)).toBe(true);
    expect(tableAcceptVersion(KUBECTL)).toBe('v1');
  });

  it('answers v1beta1 when only that is asked for', () => {
    const h = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json';
    expect(tableAcceptVersion(h)).toBe('v1beta1');
  });

  it('skips protobuf tables but takes a later JSON table', () => {
    const h = 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io';
    expect(tableAcceptVersion(h)).toBe('v1');
  });

  it('is false for plain JSON, other as= kinds, wrong group or version', () => {
    expect(parseTableAccept(undefined)).toBe(false);
    expect(parseTableAccept('application/json')).toBe(false);
    expect(parseTableAccept('*/*')).toBe(false);
    expect(parseTableAccept('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toBe(false);
    expect(parseTableAccept('application/json;as=Table;v=v1;g=apps')).toBe(false);
    expect(parseTableAccept('application/json;as=Table;v=v2;g=meta.k8s.io')).toBe(false);
    // A plain entry first wins over a later table.
    expect(parseTableAccept('application/json, application/json;as=Table;v=v1;g=meta.k8s.io')).toBe(false);
  });
});
