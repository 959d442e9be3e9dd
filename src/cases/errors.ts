/** A case number that the store does not know: permanent, so activities make it non-retryable. */
export class CaseNotFoundError extends Error {
  override name = 'CaseNotFoundError';
  constructor(readonly caseNumber: number) {
    super(`case #${caseNumber} does not exist`);
  }
}

/** Two cases of different Discord servers: they are never linked, since a link makes one server message the other. */
export class CrossGuildLinkError extends Error {
  override name = 'CrossGuildLinkError';
  constructor(
    readonly caseNumber: number,
    readonly linkedCaseNumber: number,
  ) {
    super(
      `case #${linkedCaseNumber} is in another server than #${caseNumber}: cases link only within one server`,
    );
  }
}
