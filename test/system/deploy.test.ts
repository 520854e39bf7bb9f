/**
 * deploy/: the Kubernetes manifests parse and validate against the Kubernetes API schemas
 * (kubernetes-models), refer to each other consistently, and name the server's real flags, ports
 * and paths; then the server is started with the Deployment's own args and env (and the
 * Dockerfile's CMD, which must equal them) and every path the probes and the HEALTHCHECK name is
 * probed. What is changed for the run, and why: --host 0.0.0.0 becomes 127.0.0.1 (tests bind
 * loopback only), ports 3100/9464 become free ports (a fixed port may be taken on the machine),
 * RUNFRAME_API_URL points at the emulator, and the Secret references get test values. No
 * container is built or run here: this machine has no container runtime.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { freePort } from '../scale/cluster';
import { rawHttp, ROOT, spawnHttpServer, startTestEmulator, type HttpServerProcess } from '../helpers';

const BASE = join(ROOT, 'deploy', 'kubernetes', 'base');
type Obj = Record<string, any>;

/** Every object of the kustomize base, by kind. */
function loadBase(): Map<string, Obj> {
  const kustomization = parseAllDocuments(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8'))[0].toJS() as Obj;
  const byKind = new Map<string, Obj>();
  for (const file of kustomization.resources as string[]) {
    for (const doc of parseAllDocuments(readFileSync(join(BASE, file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], file);
      const obj = doc.toJS() as Obj;
      assert.ok(!byKind.has(obj.kind), `one ${obj.kind} only`);
      byKind.set(obj.kind, obj);
    }
  }
  return byKind;
}

/** The Kubernetes model class of `apiVersion`/`kind` (kubernetes-models is ESM-only: loaded with import()). */
async function modelOf(apiVersion: string, kind: string): Promise<new (o: Obj) => { validate(): void }> {
  const modules: Record<string, () => Promise<Record<string, unknown>>> = {
    'v1/ServiceAccount': () => import('kubernetes-models/v1/ServiceAccount'),
    'v1/Service': () => import('kubernetes-models/v1/Service'),
    'apps/v1/Deployment': () => import('kubernetes-models/apps/v1/Deployment'),
    'autoscaling/v2/HorizontalPodAutoscaler': () => import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'),
    'policy/v1/PodDisruptionBudget': () => import('kubernetes-models/policy/v1/PodDisruptionBudget'),
    'networking.k8s.io/v1/NetworkPolicy': () => import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
  };
  const load = modules[`${apiVersion}/${kind}`];
  assert.ok(load, `no schema wired for ${apiVersion} ${kind}: add it here`);
  return (await load())[kind] as never;
}

/** The Dockerfile's instructions of the final stage, by name (CMD/ENTRYPOINT as JSON arrays). */
function dockerfile(): { cmd: string[]; entrypoint: string[]; expose: number[]; user: string; healthcheck: string[] } {
  const text = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const final = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
  const get = (name: string) => final.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
  const hc = get('HEALTHCHECK')[0] ?? '';
  return {
    cmd: JSON.parse(get('CMD')[0]),
    entrypoint: JSON.parse(get('ENTRYPOINT')[0]),
    expose: get('EXPOSE').flatMap((e) => e.split(/\s+/)).map(Number),
    user: get('USER')[0],
    healthcheck: JSON.parse(hc.slice(hc.indexOf('CMD ') + 4)),
  };
}

const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('deploy/: Dockerfile and Kubernetes manifests', function () {
  this.timeout(30_000);
  const objects = loadBase();
  const deployment = objects.get('Deployment')!;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const portNamed = (p: string | number) => (typeof p === 'number' ? p : container.ports.find((x: Obj) => x.name === p)?.containerPort);

  it('every object validates against the Kubernetes API schema', async () => {
    assert.deepEqual([...objects.keys()].sort(), ['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    for (const obj of objects.values()) {
      const Model = await modelOf(obj.apiVersion, obj.kind);
      assert.doesNotThrow(() => new Model(obj).validate(), `${obj.kind}`);
    }
  });

  it('the objects point at each other: selectors, ports, names', () => {
    const labels = deployment.spec.template.metadata.labels;
    const matches = (sel: Obj) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    assert.ok(matches(deployment.spec.selector.matchLabels));
    const svc = objects.get('Service')!;
    assert.ok(matches(svc.spec.selector));
    assert.equal(portNamed(svc.spec.ports[0].targetPort), Number(flag(container.args, '--port')));
    assert.ok(matches(objects.get('PodDisruptionBudget')!.spec.selector.matchLabels));
    assert.ok(matches(objects.get('NetworkPolicy')!.spec.podSelector.matchLabels));
    const hpa = objects.get('HorizontalPodAutoscaler')!;
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', deployment.metadata.name]);
    assert.equal(pod.serviceAccountName, objects.get('ServiceAccount')!.metadata.name);
    const ingressPorts = objects.get('NetworkPolicy')!.spec.ingress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port));
    for (const p of container.ports) assert.ok(ingressPorts.includes(p.containerPort), `NetworkPolicy lets in port ${p.containerPort}`);
    assert.equal(Number(deployment.spec.template.metadata.annotations['prometheus.io/port']), Number(flag(container.args, '--metrics-port')));
  });

  it('runs unprivileged on a read-only root filesystem, with resources and probes on the server\'s paths', () => {
    const sc = container.securityContext;
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.privileged, false);
    assert.deepEqual(sc.capabilities.drop, ['ALL']);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      assert.equal(portNamed(probe.httpGet.port), Number(flag(container.args, '--port')));
    }
    // The drain delay and the longest API call (15 s) fit in the grace period.
    const drain = Number(container.env.find((e: Obj) => e.name === 'MCP_HTTP_DRAIN_DELAY_MS').value);
    assert.ok(drain / 1000 + 15 < pod.terminationGracePeriodSeconds);
    for (const e of container.env.filter((x: Obj) => x.name === 'RUNFRAME_API_KEY' || x.name === 'MCP_ACCESS_TOKEN')) {
      assert.ok(e.valueFrom?.secretKeyRef?.name, `${e.name} comes from a Secret, never a literal`);
    }
  });

  it('the Dockerfile runs the bundled server as a non-root user with the Deployment\'s arguments', () => {
    const d = dockerfile();
    assert.deepEqual(d.entrypoint, ['node', '/app/server.js']);
    assert.equal(container.command, undefined, 'the Deployment keeps the image\'s ENTRYPOINT');
    assert.deepEqual(d.cmd, container.args);
    assert.ok(d.user && !/^(0|root)(:|$)/.test(d.user), `USER ${d.user}`);
    assert.deepEqual(d.expose.sort(), container.ports.map((p: Obj) => p.containerPort).sort());
    assert.equal(flag(d.cmd, '--port'), '3100', 'HTTP on 3100 by default, as Runframe\'s image');
    assert.match(d.healthcheck.join(' '), new RegExp(`http://127\\.0\\.0\\.1:${flag(d.cmd, '--port')}/healthz`));
  });

  describe('the server started as the Deployment starts it', () => {
    let emu: TestEmulator;
    let srv: HttpServerProcess;
    let ports: Record<string, number>;
    before(async () => {
      emu = await startTestEmulator();
      ports = { [flag(container.args, '--port')]: await freePort(), [flag(container.args, '--metrics-port')]: await freePort() };
      const args = container.args.map((a: string, i: number, all: string[]) => (all[i - 1] === '--host' ? '127.0.0.1' : ports[a] !== undefined && all[i - 1]?.endsWith('port') ? String(ports[a]) : a));
      const secrets: Record<string, string> = { 'api-key': emu.keys[0].key, 'access-token': 'deploy_test_token_0123456789' };
      const env: Record<string, string> = {};
      for (const e of container.env as Obj[]) env[e.name] = e.value ?? secrets[e.valueFrom.secretKeyRef.key];
      env.RUNFRAME_API_URL = emu.url;
      // dist/server.js is what the image's build stage produces (node esbuild.mjs --production); the spawn helper adds --transport http --port 0, which the Deployment's args then override.
      srv = await spawnHttpServer(env, args);
    });
    after(async () => {
      await srv?.stop();
      await emu?.close();
    });

    it('listens on the ports the probes and the Service name, and answers their paths', async () => {
      assert.equal(srv.port, ports[flag(container.args, '--port')]);
      assert.equal(srv.metricsPort, ports[flag(container.args, '--metrics-port')]);
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        const r = await rawHttp(ports[String(portNamed(probe.httpGet.port))], { method: 'GET', path: probe.httpGet.path });
        assert.equal(r.status, 200, probe.httpGet.path);
      }
      const metrics = await rawHttp(srv.metricsPort!, { method: 'GET', path: deployment.spec.template.metadata.annotations['prometheus.io/path'] });
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /^# HELP runframe_mcp_/m);
    });

    it('passes the Dockerfile\'s HEALTHCHECK command', () => {
      const [cmd, ...rest] = dockerfile().healthcheck;
      const hc = spawnSync(cmd === 'node' ? process.execPath : cmd, rest.map((a) => a.replace(`:${flag(container.args, '--port')}/`, `:${srv.port}/`)), { timeout: 10_000 });
      assert.equal(hc.status, 0, String(hc.stderr));
    });
  });
});
