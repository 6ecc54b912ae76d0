import { type Language, languages, useI18n } from '../i18n/i18n';

const names: Record<Language, string> = { fr: 'Français', en: 'English' };

/** FR | EN, each label in its own language so anyone can find theirs. */
export function LanguageSwitch({ className = '' }: { className?: string }) {
  const { lang, setLanguage, t } = useI18n();
  return (
    <fieldset className={`lang-switch ${className}`}>
      <legend className="visually-hidden">{t('common.language')}</legend>
      {languages.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className="lang-switch__option"
          aria-pressed={lang === l}
          onClick={() => setLanguage(l)}
          title={names[l]}
        >
          <span aria-hidden="true">{l.toUpperCase()}</span>
          <span className="visually-hidden">{names[l]}</span>
        </button>
      ))}
    </fieldset>
  );
}
