/** A message a person reads at the cash desk, in both languages of the UI (French first). */
export interface LocalizedText {
  fr: string;
  en: string;
}

export function text(fr: string, en: string): LocalizedText {
  return { fr, en };
}
