import { type SlashCommand } from '../types';
import { showReportModal } from './report-command';

export default {
  data: { name: 'bug', description: 'Report a bug (in the bug-report channel)' },
  execute: (interaction, ctx) => showReportModal(interaction, ctx, 'bug'),
} satisfies SlashCommand;
