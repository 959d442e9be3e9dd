import { type Config, ConfigError } from '../config';
import { type CheckOutcome, type CheckResult, fail, pass, runCheck } from './check';
import { caseStore } from './checks/case-store';
import { discordChecks } from './checks/discord';
import { knowledgeBase } from './checks/knowledge-base';
import { publicUrlReachesWebhooks } from './checks/public-url';
import { botSettings, webhooksSettings, workerSettings } from './checks/settings';
import { temporalChecks } from './checks/temporal';
import { twilioChecks } from './checks/twilio';
import { type DoctorContext } from './context';
import { errorSummary } from './report';
import { startsAsSandbox } from '../sandbox/guard';

export interface DoctorOptions {
  timeoutMs: number;
  workerTimeoutMs: number;
}

/**
 * Every check, in the order an operator fixes things: settings, Temporal, storage, then each outside service.
 * Independent groups run at once, so the whole run takes about as long as its slowest service.
 */
export async function runDoctor(
  loadConfig: () => Config,
  options: DoctorOptions,
): Promise<{ config?: Config; results: CheckResult[] }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const detail = err.message.replace(/\n\s*/g, ' ').replace(/ See \.env\.example.*$/, '');
    return {
      results: [
        {
          id: 'settings',
          title: 'Settings',
          ...fail(detail, 'correct them in the environment or .env (see .env.example)'),
          ms: 0,
        },
      ],
    };
  }
  const ctx: DoctorContext = { config, ...options };
  const settings: CheckResult[] = [
    { id: 'settings', title: 'Settings', ...pass(settingsSummary(config)), ms: 0 },
    { id: 'settings.worker', title: 'Worker settings', ...workerSettings(config), ms: 0 },
    { id: 'settings.bot', title: 'Bot settings', ...botSettings(config), ms: 0 },
    { id: 'settings.webhooks', title: 'Webhooks settings', ...webhooksSettings(config), ms: 0 },
  ];
  const single = (
    id: string,
    title: string,
    check: (c: DoctorContext) => Promise<CheckOutcome>,
    fix: string,
  ) =>
    runCheck(id, title, () => check(ctx), {
      timeoutMs: ctx.timeoutMs,
      onError: (err) => fail(errorSummary(err), fix),
    }).then((r) => [r]);
  const groups = await Promise.all([
    temporalChecks(ctx),
    single('caseStore', 'Case store', caseStore, 'check DATABASE_URL or FLEXCORD_DATA_DIR'),
    single('knowledgeBase', 'Knowledge base', knowledgeBase, 'check KB_DIR'),
    discordChecks(ctx),
    twilioChecks(ctx),
    single(
      'publicUrl',
      'PUBLIC_BASE_URL',
      publicUrlReachesWebhooks,
      'check that PUBLIC_BASE_URL reaches the webhooks role',
    ),
  ]);
  return { config, results: [...settings, ...groups.flat()] };
}

function settingsSummary(config: Config): string {
  return startsAsSandbox(config)
    ? `valid (${config.env}); nothing real is configured yet, so \`npm start\` runs the offline sandbox`
    : `valid (${config.env})`;
}
