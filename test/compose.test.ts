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
  profiles?: string[];
}

function loadCompose(): { services: Record<string, Service> } {
  return parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
}

describe('docker-compose.yml', () => {
  const { services } = loadCompose();

  const inProfile = (profile?: string) =>
    Object.entries(services)
      .filter(([, s]) => (profile ? s.profiles?.includes(profile) : !s.profiles?.length))
      .map(([name]) => name)
      .sort();

  it('runs PostgreSQL, Temporal with its schema job, the UI and the three flexcord roles', () => {
    assert.deepEqual(inProfile(), [
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

  it('adds Prometheus and Grafana only with the observability profile, on pinned images', () => {
    assert.deepEqual(inProfile('observability'), ['grafana', 'prometheus']);
    assert.deepEqual(Object.keys(services).sort(), [...inProfile(), ...inProfile('observability')].sort());
    const resolved = interpolate(services, { FLEXCORD_DB_PASSWORD: 'x', TEMPORAL_DB_PASSWORD: 'y' });
    assert.match(resolved.prometheus!.image!, /^prom\/prometheus:v\d+\.\d+\.\d+$/);
    assert.match(resolved.grafana!.image!, /^grafana\/grafana:\d+\.\d+\.\d+$/);
    for (const role of ['flexcord-worker', 'flexcord-bot', 'flexcord-webhooks'])
      assert.deepEqual(
        Object.keys(services[role]!.depends_on ?? {}).filter((d) => services[d]?.profiles?.length),
        [],
        `${role} must start without the observability profile`,
      );
  });

  it('gives every role a metrics port, and Prometheus scrapes each role there, labelled with its role', () => {
    const config = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: {
        job_name: string;
        static_configs: { targets: string[]; labels?: { role?: string } }[];
      }[];
    };
    const scraped = config.scrape_configs
      .filter((job) => job.job_name === 'flexcord')
      .flatMap((job) => job.static_configs.flatMap((g) => g.targets.map((t) => `${t} ${g.labels?.role}`)))
      .sort();
    const expected = ['flexcord-bot', 'flexcord-webhooks', 'flexcord-worker'].map((service) => {
      const port = services[service]!.environment?.METRICS_PORT;
      assert.ok(port, `${service} has no METRICS_PORT`);
      return `${service}:${port} ${service.replace('flexcord-', '')}`;
    });
    assert.deepEqual(scraped, expected);
    assert.ok(
      services.prometheus!.volumes!.includes(
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
      ),
    );
  });

  it('provisions Grafana with the compose Prometheus and the dashboard files where the provider reads them', () => {
    const grafana = services.grafana!;
    const datasources = parse(
      fs.readFileSync(path.join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { type: string; url: string }[] };
    const [prometheus] = datasources.datasources;
    assert.equal(prometheus?.type, 'prometheus');
    const prometheusPort = services.prometheus!.ports![0]!.split(':').at(-1);
    assert.equal(prometheus?.url, `http://prometheus:${prometheusPort}`);
    const providers = parse(
      fs.readFileSync(path.join(root, 'deploy/grafana/provisioning/dashboards/flexcord.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const dashboardsMount = grafana.volumes!.find((v) => v.startsWith('./deploy/grafana/dashboards:'));
    assert.ok(dashboardsMount, 'the dashboards folder is mounted');
    assert.equal(dashboardsMount.split(':')[1], providers.providers[0]!.options.path);
    assert.ok(fs.existsSync(path.join(root, 'deploy/grafana/dashboards/flexcord.json')));
    for (const folder of ['datasources', 'dashboards'])
      assert.ok(
        grafana.volumes!.includes(
          `./deploy/grafana/provisioning/${folder}:/etc/grafana/provisioning/${folder}:ro`,
        ),
        folder,
      );
    // Nobody can log in, so there is no default admin password to guess; visitors may only view.
    assert.equal(grafana.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
    assert.equal(grafana.environment?.GF_AUTH_DISABLE_LOGIN_FORM, 'true');
    assert.equal(grafana.environment?.GF_AUTH_BASIC_ENABLED, 'false');
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
    // Prometheus and Grafana show every role's traffic; the metrics ports stay on the compose network.
    assert.deepEqual(services.prometheus!.ports, ['127.0.0.1:9090:9090']);
    assert.deepEqual(services.grafana!.ports, ['127.0.0.1:3001:3000']);
    const published = Object.entries(services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(
      published,
      ['flexcord-webhooks', 'grafana', 'prometheus', 'temporal', 'temporal-ui'],
      'PostgreSQL and the metrics ports are not published',
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
