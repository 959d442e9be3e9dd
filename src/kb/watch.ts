import { watch } from 'chokidar';

/**
 * Calls `onChange` once a burst of changes under `dir` has settled (editors save in several steps, git checkouts
 * touch many files). Returns the function that stops watching.
 */
export function watchFolder(dir: string, onChange: () => void, settleMs = 250): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (file, stats) => Boolean(stats?.isFile()) && !file.toLowerCase().endsWith('.md'),
  });
  watcher.on('all', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, settleMs);
  });
  return async () => {
    if (timer) clearTimeout(timer);
    await watcher.close();
  };
}
