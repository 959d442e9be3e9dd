import { z } from 'zod';

/** Front matter every knowledge-base article must have. */
export const articleFrontMatterSchema = z.object({
  title: z.string().trim().min(1),
  url: z.url(),
  tags: z
    .union([z.array(z.string()), z.string()])
    .default([])
    .transform((tags) => (Array.isArray(tags) ? tags : tags.split(',')).map((t) => t.trim()).filter(Boolean)),
});

export interface KbArticle {
  /** The file's path relative to the knowledge-base folder, with forward slashes: stable across machines. */
  id: string;
  /** The file's absolute path, for staff reading CLI output. */
  file: string;
  title: string;
  url: string;
  tags: string[];
  /** The Markdown body without front matter. */
  body: string;
}
