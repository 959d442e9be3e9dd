import { type SlashCommand } from '../types';
import { showReportModal } from './report-command';

export default {
  data: { name: 'new_feature', description: 'Request a feature (in the feature-request channel)' },
  execute: (interaction, ctx) => showReportModal(interaction, ctx, 'feature'),
} satisfies SlashCommand;
