import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { interpolate } from './support/compose-interpolation';

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

  it('publishes the Temporal frontend and Web UI on 127.0.0.1 only, and the webhook server for Twilio', () => {
    // Whoever reaches 7233 can signal a conversation (and so write into a user's DM) or read every history.
    assert.deepEqual(services.temporal!.ports, ['127.0.0.1:7233:7233']);
    assert.deepEqual(services['temporal-ui']!.ports, ['127.0.0.1:8080:8080']);
    assert.deepEqual(services['flexcord-webhooks']!.ports, ['3000:3000']);
    const published = Object.entries(services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(
      published,
      ['flexcord-webhooks', 'temporal', 'temporal-ui'],
      'PostgreSQL is not published',
    );
  });

  it('points the Web UI at the webhooks role’s codec endpoint, and lets the UI’s origin call it', () => {
    const env = {
      CODEC_ENDPOINT_TOKEN: 'codec-token-0123456789',
      FLEXCORD_DB_PASSWORD: 'x',
      TEMPORAL_DB_PASSWORD: 'y',
    };
    const ui = interpolate(services['temporal-ui']!.environment!, env);
    assert.equal(ui.TEMPORAL_CODEC_ENDPOINT, 'http://localhost:3000/codec/t/codec-token-0123456789');
    const webhooks = interpolate(services['flexcord-webhooks']!.environment!, env);
    const uiOrigin = `http://localhost:${services['temporal-ui']!.ports![0]!.split(':')[1]}`;
    assert.ok(String(webhooks.CODEC_CORS_ORIGINS).split(',').includes(uiOrigin));
  });

  it('refuses to start without the database passwords, and has no default password', () => {
    const passwords = {
      TEMPORAL_DB_PASSWORD: 'canary-temporal-pw',
      FLEXCORD_DB_PASSWORD: 'canary-flexcord-pw',
    };
    for (const missing of Object.keys(passwords)) {
      assert.throws(() => interpolate(services, { ...passwords, [missing]: undefined }), new RegExp(missing));
      assert.throws(() => interpolate(services, { ...passwords, [missing]: '' }), new RegExp(missing));
    }
    const resolved = interpolate(services, passwords);
    const env = (service: string) => resolved[service]!.environment ?? {};
    assert.equal(env('postgresql').POSTGRES_PASSWORD, passwords.TEMPORAL_DB_PASSWORD);
    assert.equal(env('postgresql').FLEXCORD_DB_PASSWORD, passwords.FLEXCORD_DB_PASSWORD);
    assert.equal(env('temporal-admin-tools').SQL_PASSWORD, passwords.TEMPORAL_DB_PASSWORD);
    assert.equal(env('temporal').POSTGRES_PWD, passwords.TEMPORAL_DB_PASSWORD);
    for (const role of ['flexcord-worker', 'flexcord-bot', 'flexcord-webhooks']) {
      assert.equal(
        env(role).DATABASE_URL,
        `postgres://flexcord:${passwords.FLEXCORD_DB_PASSWORD}@postgresql:5432/flexcord`,
        role,
      );
    }
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
