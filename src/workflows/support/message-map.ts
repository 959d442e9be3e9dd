/*
 * Which messages became which on the other side, so an edit or a deletion can follow them: a user's Discord message
 * → the Conversations messages it was posted as (its text, then one per file), and an agent's Conversations
 * message → the Discord messages it was posted as (long text is split). Pure and bounded: it travels in the
 * conversation's state across continue-as-new, so it keeps only the newest entries.
 */

export const MAX_MAPPED_MESSAGES = 200;

export interface RelayedToFlex {
  /** The Conversations message with the text, when there was text. */
  text?: string;
  files: string[];
}

export interface MessageMap {
  /** Discord message id → Conversations messages, oldest first. */
  toFlex: [string, RelayedToFlex][];
  /** Conversations MessageSid → Discord message ids, oldest first. */
  toDiscord: [string, string[]][];
}

export function emptyMessageMap(): MessageMap {
  return { toFlex: [], toDiscord: [] };
}

/** Adds or replaces an entry, dropping the oldest beyond the bound. */
export function remember<V>(list: [string, V][], key: string, value: V): [string, V][] {
  const next: [string, V][] = [...list.filter(([k]) => k !== key), [key, value]];
  return next.length > MAX_MAPPED_MESSAGES ? next.slice(next.length - MAX_MAPPED_MESSAGES) : next;
}

export function lookup<V>(list: [string, V][], key: string): V | undefined {
  return list.find(([k]) => k === key)?.[1];
}

export function forget<V>(list: [string, V][], key: string): [string, V][] {
  return list.filter(([k]) => k !== key);
}
