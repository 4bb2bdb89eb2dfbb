import { describe, expect, it } from 'vitest';
import { classifyHttp, httpRequestSpec, PROBE_USER_AGENT } from '../../../../agent/prober/handlers/http.js';
import { resolvePort } from '../../../../agent/prober/handlers/types.js';

const c = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] };
const t = { podIp: '10.244.0.7', containerId: 'id', container: c };

describe('httpGet request and result', () => {
  it('ports by number, numeric string or container port name', () => {
    expect(resolvePort(80, c)).toBe(80);
    expect(resolvePort('81', c)).toBe(81);
    expect(resolvePort('metrics', c)).toBe(9090);
    expect(resolvePort('none', c)).toBeUndefined();
    expect(resolvePort(70000, c)).toBeUndefined();
  });

  it('host defaults to the pod IP, path to /, scheme lower-cased; user headers replace defaults', () => {
    const s = httpRequestSpec({ port: 'http', path: 'healthz?x=1', scheme: 'HTTPS', httpHeaders: [{ name: 'user-agent', value: 'mine' }, { name: 'Host', value: 'app.local' }] }, t);
    expect(s.url.href).toBe('https://10.244.0.7:8080/healthz?x=1');
    expect(s.headers).toEqual({ Accept: '*/*', 'user-agent': 'mine', Host: 'app.local' });
    const d = httpRequestSpec({ port: 80, host: '10.244.0.9' }, t);
    expect(d.url.href).toBe('http://10.244.0.9/');
    expect(d.headers['User-Agent']).toBe(PROBE_USER_AGENT);
    expect(() => httpRequestSpec({ port: 'nope' }, t)).toThrow(/unable to resolve port "nope"/);
  });

  it('200–399 is success; a stopped redirect is a warning; the rest fails', () => {
    expect(classifyHttp({ status: 200, body: 'ok', redirectStopped: false })).toEqual({ result: 'success', output: 'ok' });
    expect(classifyHttp({ status: 302, body: 'b', redirectStopped: true }).result).toBe('warning');
    expect(classifyHttp({ status: 399, body: '', redirectStopped: false }).result).toBe('warning');
    expect(classifyHttp({ status: 199, body: '', redirectStopped: false }).result).toBe('failure');
    expect(classifyHttp({ status: 503, body: '', redirectStopped: false })).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
  });
});
