/** A case number that the store does not know: permanent, so activities make it non-retryable. */
export class CaseNotFoundError extends Error {
  override name = 'CaseNotFoundError';
  constructor(readonly caseNumber: number) {
    super(`case #${caseNumber} does not exist`);
  }
}
