import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { z } from 'zod';
import { encodeCustomId } from '../shared/discord-custom-ids';
import type { ReportType } from '../shared/report-types';
import { type Locale, type MessageKey, t } from '../shared/i18n/translate';

interface Field {
  id: string;
  label: string;
  style: TextInputStyle;
  max: number;
  required: boolean;
}

/** The modal fields of each report type; the same list builds the modal and validates the submission. */
export const REPORT_FIELDS: Record<ReportType, Field[]> = {
  bug: [
    { id: 'title', label: 'Title', style: TextInputStyle.Short, max: 100, required: true },
    {
      id: 'what_happened',
      label: 'What happened?',
      style: TextInputStyle.Paragraph,
      max: 1000,
      required: true,
    },
    { id: 'steps', label: 'Steps to reproduce', style: TextInputStyle.Paragraph, max: 1000, required: true },
    {
      id: 'expected',
      label: 'What did you expect?',
      style: TextInputStyle.Paragraph,
      max: 1000,
      required: true,
    },
    { id: 'platform', label: 'Platform / version', style: TextInputStyle.Short, max: 100, required: false },
  ],
  feature: [
    { id: 'title', label: 'Title', style: TextInputStyle.Short, max: 100, required: true },
    {
      id: 'description',
      label: 'Describe the feature',
      style: TextInputStyle.Paragraph,
      max: 1500,
      required: true,
    },
    {
      id: 'why',
      label: 'Why does it matter to you?',
      style: TextInputStyle.Paragraph,
      max: 1000,
      required: true,
    },
  ],
};

/** A field's label in the user's language (the English label stays the field's name in the stored case). */
export function fieldLabel(field: Field, locale?: Locale): string {
  return t(locale, `report.field.${field.id}` as MessageKey);
}

export function reportModal(type: ReportType, locale?: Locale): ModalBuilder {
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId({ kind: type === 'bug' ? 'bug_modal' : 'feature_modal' }))
    .setTitle(t(locale, type === 'bug' ? 'report.bugModalTitle' : 'report.featureModalTitle'));
  for (const field of REPORT_FIELDS[type]) {
    const input = new TextInputBuilder()
      .setCustomId(field.id)
      .setStyle(field.style)
      .setMaxLength(field.max)
      .setRequired(field.required);
    modal.addLabelComponents(
      new LabelBuilder().setLabel(fieldLabel(field, locale)).setTextInputComponent(input),
    );
  }
  return modal;
}

/** Validates submitted values against the same field list (Discord enforces lengths too, but input is input). */
export function reportSchema(type: ReportType, locale?: Locale) {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const field of REPORT_FIELDS[type]) {
    const text = z.string().trim().max(field.max);
    shape[field.id] = field.required
      ? text.min(1, t(locale, 'report.fieldRequired', { label: fieldLabel(field, locale) }))
      : text.default('');
  }
  return z.object(shape);
}
