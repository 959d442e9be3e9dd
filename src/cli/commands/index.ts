import { type Command } from 'commander';
import { registerBundleWorkflowsCommand } from './bundle-workflows';
import { registerCasesCommand } from './cases';
import { registerDoctorCommand } from './doctor';
import { registerFeedsCommand } from './feeds';
import { registerKbCommand } from './kb';
import { registerPrivacyCommand } from './privacy';
import { registerRegisterCommandsCommand } from './register-commands';
import { registerSandboxCommand } from './sandbox';
import { registerSetupChannelsCommand } from './setup-channels';
import { registerStartCommand } from './start';
import { registerStatsCommand } from './stats';
import { registerTemporalCommand } from './temporal';

/** One module per command; add a line here to register a new one. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerSandboxCommand(program);
  registerTemporalCommand(program);
  registerDoctorCommand(program);
  registerCasesCommand(program);
  registerPrivacyCommand(program);
  registerBundleWorkflowsCommand(program);
  registerRegisterCommandsCommand(program);
  registerSetupChannelsCommand(program);
  registerKbCommand(program);
  registerFeedsCommand(program);
  registerStatsCommand(program);
}
