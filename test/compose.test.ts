import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';

/* No Docker engine runs in CI, so the compose stack is checked as data: services, images, ports, dependencies. */
const root = path.resolve(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, unknown>;
  volumes?: string[];
}

function loadCompose(): { services: Record<string, Service> } {
  return parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
}

describe('docker-compose.yml', () => {
  const { services } = loadCompose();

  it('runs PostgreSQL, Temporal with its schema job, the UI and the three flexcord roles', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'flexcord-bot',
      'flexcord-webhooks',
      'flexcord-worker',
      'postgresql',
      'temporal',
      'temporal-admin-tools',
      'temporal-create-namespace',
      'temporal-ui',
    ]);
  });

  it('uses the official images and not the deprecated auto-setup image', () => {
    assert.match(services.postgresql!.image!, /^postgres:/);
    assert.match(services.temporal!.image!, /^temporalio\/server:/);
    assert.match(services['temporal-admin-tools']!.image!, /^temporalio\/admin-tools:/);
    assert.match(services['temporal-ui']!.image!, /^temporalio\/ui:/);
    for (const [name, service] of Object.entries(services)) {
      assert.doesNotMatch(service.image ?? '', /auto-setup/, `${name} uses auto-setup`);
    }
  });

  it('starts each service only after what it needs is ready', () => {
    const condition = (service: string, dep: string) => services[service]!.depends_on?.[dep]?.condition;
    assert.equal(condition('temporal-admin-tools', 'postgresql'), 'service_healthy');
    assert.equal(condition('temporal', 'temporal-admin-tools'), 'service_completed_successfully');
    assert.equal(condition('temporal-create-namespace', 'temporal'), 'service_healthy');
    assert.equal(condition('temporal-ui', 'temporal'), 'service_healthy');
    for (const role of ['flexcord-worker', 'flexcord-bot', 'flexcord-webhooks']) {
      assert.equal(condition(role, 'temporal-create-namespace'), 'service_completed_successfully', role);
      assert.equal(condition(role, 'postgresql'), 'service_healthy', role);
    }
  });

  it('builds the app roles from the Dockerfile and runs one role per service against the cluster', () => {
    assert.ok(fs.existsSync(path.join(root, 'Dockerfile')));
    for (const role of ['worker', 'bot', 'webhooks']) {
      const service = services[`flexcord-${role}`]!;
      assert.ok(service.build, `flexcord-${role} has no build`);
      assert.deepEqual(service.command, ['start', '--role', role]);
      assert.equal(service.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
      assert.match(String(service.environment?.DATABASE_URL), /^postgres:\/\/.*@postgresql:5432\//);
    }
  });

  it('publishes the Temporal frontend, the UI and the webhook server', () => {
    assert.deepEqual(services.temporal!.ports, ['7233:7233']);
    assert.deepEqual(services['temporal-ui']!.ports, ['8080:8080']);
    assert.deepEqual(services['flexcord-webhooks']!.ports, ['3000:3000']);
  });

  it('mounts scripts that exist, and registers every search attribute the workflows use', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./'))
          assert.ok(fs.existsSync(path.join(root, source)), `${source} is missing`);
      }
    }
    const script = fs.readFileSync(path.join(root, 'deploy/temporal/create-namespace.sh'), 'utf8');
    for (const key of ALL_SEARCH_ATTRIBUTES) {
      assert.match(
        script,
        new RegExp(`^add ${key.name} ${key.type === 'INT' ? 'Int' : 'Keyword'}$`, 'm'),
        key.name,
      );
    }
  });
});
