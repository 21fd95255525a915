/** A remediation's thread opens with what is behind it (its findings); the notes of its steps follow. */
export const FINDINGS_NOTE = /^What is behind PW-\d+: /;

/** The thread's replies without the findings message: the story of its steps. */
export const stepNotes = <T extends { readonly text: string }>(replies: readonly T[]): T[] => replies.filter((m) => !FINDINGS_NOTE.test(m.text));
