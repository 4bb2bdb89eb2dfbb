// A tiny in-test control plane: gRPC AgentService (Join + Connect) with mTLS on 127.0.0.1, and an
// HTTPS bootstrap endpoint. It can be killed and restarted on the same port.
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import forge from 'node-forge';
import { createCA, issueCertificate, type CertKeyPair } from '../../../../lib/tls.ts';
import { agentV1, type AgentMessage__Output, type ControlMessage } from '../../../../proto/load.ts';

export interface ConnectSession {
  call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>;
  received: AgentMessage__Output[];
  peerCN?: string;
}

export class FakeControlPlane {
  readonly ca: CertKeyPair = createCA('fake-ca');
  readonly serving: CertKeyPair = issueCertificate(this.ca, { commonName: 'apiserver', ipAddresses: ['127.0.0.1'], usage: 'server' });
  readonly sessions: ConnectSession[] = [];
  /** called for each new Connect after Hello */
  onHello: (s: ConnectSession) => void = () => undefined;
  joinToken = '';
  cluster = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.3.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' };
  port = 0;
  private server?: grpc.Server;

  /** requireClientCert: Connect tests check the agent presents its node certificate */
  constructor(private readonly requireClientCert = false) {}

  async start(): Promise<void> {
    const server = new grpc.Server();
    server.addService(agentV1().AgentService.service, {
      Join: (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
        if (call.request.token !== this.joinToken) return cb({ code: grpc.status.UNAUTHENTICATED, details: 'unknown bootstrap token' });
        cb(null, { certificatePem: this.signCsr(call.request.csrPem), caPem: this.ca.certPem, cluster: this.cluster });
      },
      Connect: (call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>) => {
        const s: ConnectSession = { call, received: [], peerCN: call.getAuthContext().sslPeerCertificate?.subject?.CN };
        call.on('data', (m: AgentMessage__Output) => {
          s.received.push(m);
          if (m.msg === 'hello') {
            this.sessions.push(s);
            this.onHello(s);
          }
        });
        call.on('error', () => undefined);
        call.on('end', () => call.end());
      },
    });
    const creds = grpc.ServerCredentials.createSsl(Buffer.from(this.ca.certPem), [{ private_key: Buffer.from(this.serving.keyPem), cert_chain: Buffer.from(this.serving.certPem) }], this.requireClientCert);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.port}`, creds, (err, port) => (err ? reject(err) : resolve(port))),
    );
    this.server = server;
  }

  /** Abrupt loss: every stream dies. */
  kill(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** HTTPS bootstrap endpoint serving caPem (the real one unless overridden). */
  async startBootstrap(caPem: string = this.ca.certPem): Promise<{ url: string; close: () => Promise<void> }> {
    const https: HttpsServer = createServer({ key: this.serving.keyPem, cert: this.serving.certPem }, (req, res) => {
      if (req.url !== '/kinglet/v1/bootstrap') {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ caPem, agentEndpoint: this.endpoint }));
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const { port } = https.address() as AddressInfo;
    return { url: `https://127.0.0.1:${port}`, close: () => new Promise((r) => https.close(() => r())) };
  }

  private signCsr(csrPem: string): string {
    const csr = forge.pki.certificationRequestFromPem(csrPem);
    if (!csr.verify()) throw new Error('bad CSR');
    const caCert = forge.pki.certificateFromPem(this.ca.certPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = csr.publicKey!;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject(csr.subject.attributes);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([{ name: 'extKeyUsage', clientAuth: true }]);
    cert.sign(forge.pki.privateKeyFromPem(this.ca.keyPem), forge.md.sha256.create());
    return forge.pki.certificateToPem(cert);
  }
}

export function change(kind: string, object: unknown, type: 'UPSERT' | 'DELETE' = 'UPSERT') {
  return { type, kind, objectJson: Buffer.from(JSON.stringify(object)) };
}

export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
